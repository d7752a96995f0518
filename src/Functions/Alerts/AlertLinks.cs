using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Engagement.Functions.Alerts;

/// <summary>
/// Signed acknowledge links for e-mails: HMAC-SHA256 over partnership, alert and expiry with <c>Alerts:SigningKey</c>.
/// The link opens a confirmation page whose button posts back: a mail scanner that prefetches links acknowledges
/// nothing.
/// </summary>
internal sealed class AlertLinks(AlertOptions options)
{
    public bool Enabled => Key is not null && !string.IsNullOrWhiteSpace(options.PublicBaseUrl);

    private byte[]? Key => string.IsNullOrWhiteSpace(options.SigningKey) ? null : Convert.FromBase64String(options.SigningKey);

    public string? AcknowledgeLink(string partnershipId, string alertId, DateTimeOffset now)
    {
        if (!Enabled)
        {
            return null;
        }

        var expires = now.AddDays(options.LinkValidityDays).ToUnixTimeSeconds();
        var query = $"p={Uri.EscapeDataString(partnershipId)}&a={Uri.EscapeDataString(alertId)}&e={expires.ToString(CultureInfo.InvariantCulture)}&s={Sign(partnershipId, alertId, expires)}";
        return $"{options.PublicBaseUrl!.TrimEnd('/')}/api/acknowledge?{query}";
    }

    public LinkCheck Check(string? partnershipId, string? alertId, string? expires, string? signature, DateTimeOffset now)
    {
        if (Key is null || partnershipId is null || alertId is null || signature is null
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var until))
        {
            return LinkCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(partnershipId, alertId, until));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return LinkCheck.Invalid;
        }

        return now.ToUnixTimeSeconds() > until ? LinkCheck.Expired : LinkCheck.Valid;
    }

    private string Sign(string partnershipId, string alertId, long expires)
    {
        var payload = Encoding.UTF8.GetBytes($"{partnershipId}\n{alertId}\n{expires.ToString(CultureInfo.InvariantCulture)}");
        return Convert.ToBase64String(HMACSHA256.HashData(Key!, payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

internal enum LinkCheck
{
    Valid,
    Invalid,
    Expired,
}
