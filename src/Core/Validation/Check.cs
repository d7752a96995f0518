using System.Globalization;
using System.Net.Mail;
using Engagement.Core.Domain;

namespace Engagement.Core.Validation;

/// <summary>Field checks shared by every input. Each reports into <see cref="ValidationErrors"/> and returns the parsed value.</summary>
public static class Check
{
    /// <summary>Longest id accepted, so that composite Table keys stay far below the 1 KiB key limit.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest free-text field accepted (names, titles, territories).</summary>
    public const int MaxTextLength = 400;

    /// <summary>
    /// A valid id is 1–128 characters, and, because ids become Azure Table keys, contains none of
    /// <c>/ \ # ?</c> and no control character.
    /// </summary>
    public static bool IsValidId(string? id, out string reason)
    {
        reason = string.Empty;
        if (string.IsNullOrWhiteSpace(id))
        {
            reason = "is required.";
            return false;
        }

        if (id.Length > MaxIdLength)
        {
            reason = $"must be at most {MaxIdLength} characters.";
            return false;
        }

        if (id != id.Trim())
        {
            reason = "must not start or end with spaces.";
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c) || c == '\uFFFD')
            {
                reason = "must be valid Unicode text.";
                return false;
            }

            if (c is '/' or '\\' or '#' or '?')
            {
                reason = "must not contain '/', '\\', '#' or '?'.";
                return false;
            }

            if (char.IsControl(c))
            {
                reason = "must not contain control characters.";
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks a required id.</summary>
    public static string Id(string? value, string field, ValidationErrors errors)
    {
        if (!IsValidId(value, out var reason))
        {
            errors.Add(field, $"'{field}' {reason}");
            return string.Empty;
        }

        return value!;
    }

    /// <summary>Checks a required text.</summary>
    public static string RequiredText(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, $"'{field}' is required.");
            return string.Empty;
        }

        return OptionalText(value, field, errors) ?? string.Empty;
    }

    /// <summary>Checks an optional text: trimmed, bounded, no control characters; blank becomes null.</summary>
    public static string? OptionalText(string? value, string field, ValidationErrors errors, int maxLength = MaxTextLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            errors.Add(field, $"'{field}' must be at most {maxLength} characters.");
        }

        if (trimmed.Any(char.IsControl))
        {
            errors.Add(field, $"'{field}' must not contain control characters (line breaks included).");
        }

        return trimmed;
    }

    /// <summary>Checks an optional e-mail address; returns it lower-cased.</summary>
    public static string? OptionalEmail(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (!IsEmail(trimmed))
        {
            errors.Add(field, $"'{field}' is not a valid e-mail address.");
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>Whether a text is a single plain e-mail address (no display name, no line breaks).</summary>
    public static bool IsEmail(string text) =>
        text.Length <= 254
        && !text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' or '"')
        && MailAddress.TryCreate(text, out var address)
        && address.Address == text
        && address.Host.Contains('.', StringComparison.Ordinal);

    /// <summary>Parses a required enum from its wire value or a known alias.</summary>
    public static T Enum<T>(string? value, string field, ValidationErrors errors)
        where T : struct, System.Enum => ParseEnum<T>(value, field, errors, null);

    /// <summary>Parses an optional enum from its wire value or a known alias; blank gives the default.</summary>
    public static T Enum<T>(string? value, string field, ValidationErrors errors, T defaultValue)
        where T : struct, System.Enum => ParseEnum<T>(value, field, errors, defaultValue);

    private static T ParseEnum<T>(string? value, string field, ValidationErrors errors, T? defaultValue)
        where T : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (defaultValue is { } d)
            {
                return d;
            }

            errors.Add(field, $"'{field}' is required; use one of: {string.Join(", ", WireNames.Values<T>())}.");
            return default;
        }

        if (!WireNames.TryParse<T>(value, out var parsed))
        {
            errors.Add(field, $"'{field}' has the unknown value '{Shorten(value)}'; use one of: {string.Join(", ", WireNames.Values<T>())}.");
        }

        return parsed;
    }

    private static readonly string[] OffsetFormats =
    [
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>
    /// Parses an ISO 8601 timestamp that carries its UTC offset (<c>Z</c> or <c>±hh:mm</c>). A timestamp without
    /// an offset is refused: a meeting at "19:00" in Montréal is not the same instant as "19:00" UTC.
    /// </summary>
    public static DateTimeOffset Timestamp(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, $"'{field}' is required (ISO 8601 with an offset, e.g. 2026-03-12T19:00:00-04:00).");
            return default;
        }

        if (TryParseTimestamp(value, out var parsed, out var hasOffset))
        {
            if (hasOffset)
            {
                return parsed;
            }

            // The suggestion is Montréal's offset on that date and time (−05:00 in winter, −04:00 in summer).
            var offset = MontrealClock.OffsetAt(DateOnly.FromDateTime(parsed.DateTime), TimeOnly.FromDateTime(parsed.DateTime));
            var suggested = $"{(offset < TimeSpan.Zero ? "-" : "+")}{offset.Duration():hh\\:mm}";
            errors.Add(field, $"'{field}' has no UTC offset; write it with its offset, e.g. {value.Trim()}{suggested} (Montréal on that date) or {value.Trim()}Z (UTC).");
            return default;
        }

        errors.Add(field, $"'{field}' is not an ISO 8601 timestamp (e.g. 2026-03-12T19:00:00-04:00).");
        return default;
    }

    /// <summary>Parses ISO 8601 and says whether the text carried an offset.</summary>
    public static bool TryParseTimestamp(string value, out DateTimeOffset parsed, out bool hasOffset)
    {
        var text = value.Trim();
        if (DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed)
            && HasOffsetDesignator(text))
        {
            hasOffset = true;
            return true;
        }

        hasOffset = false;
        return DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed);
    }

    private static bool HasOffsetDesignator(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        var timeStart = text.IndexOfAny(['T', 't', ' ']);
        return timeStart > 0 && text.IndexOfAny(['+', '-'], timeStart) > 0;
    }

    /// <summary>Parses a calendar date <c>yyyy-MM-dd</c>.</summary>
    public static DateOnly? Date(string? value, string field, ValidationErrors errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, $"'{field}' is required (yyyy-MM-dd).");
            }

            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(field, $"'{field}' is not a date in the form yyyy-MM-dd.");
        return null;
    }

    /// <summary>Cuts a user value for an error message, so a huge or hostile value is never echoed whole.</summary>
    public static string Shorten(string value)
    {
        var clean = new string([.. value.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
        return value.Length > 40 ? clean + "…" : clean;
    }
}
