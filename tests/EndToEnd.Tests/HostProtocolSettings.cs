using System.Security.Cryptography;
using System.Text;

namespace Engagement.EndToEnd.Tests;

/// <summary>The app settings the host-protocol tests give the published app: one API key per role, secrets, schedules.</summary>
internal static class HostProtocolSettings
{
    public const string Admin = "e2e-key-admin-0123456789";
    public const string Coordinator = "e2e-key-coordinator-0123456789";
    public const string Ingest = "e2e-key-ingest-0123456789";
    public const string Analyst = "e2e-key-analyst-0123456789";
    public const string CoordinatorOfOther = "e2e-key-coordinator-other-0123456789";

    /// <summary>The timers' schedules as the Bicep template sets them (app settings the host resolves in %Schedules:Name%).</summary>
    public static readonly IReadOnlyDictionary<string, string> Schedules = new Dictionary<string, string>
    {
        ["SyncTeamsAttendance"] = "0 5 * * * *",
        ["SyncFormsWorkbook"] = "0 */15 * * * *",
        ["SyncGroupMembership"] = "0 15 2 * * *",
        ["ScoreRisk"] = "0 0 4 * * *",
        ["SendAlerts"] = "0 */15 * * * *",
        ["SendDigest"] = "0 0 11 * * 1",
        ["SendFollowUpSheets"] = "0 0 13 * * *",
        ["RetrainModel"] = "0 0 5 * * 1",
        ["PublishDatasets"] = "0 30 5 * * *",
        ["PurgeExpiredData"] = "0 30 3 * * *",
    };

    public static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    public static readonly byte[] ParticipantKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>Settings for a store in <paramref name="dataFolder"/> (SQLite) unless <paramref name="extra"/> says otherwise.</summary>
    public static Dictionary<string, string> For(string dataFolder, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Sqlite",
            ["Storage__Sqlite__Path"] = Path.Combine(dataFolder, "engagement.db"),
            ["Auth__GenerateDevelopmentKey"] = "false",
            ["Scheduler__Enabled"] = "false",
            ["Demo__Enabled"] = "false",
            // Off: a scoring 30 s after an attendance write would change answers in the middle of a comparison.
            ["Scoring__Enabled"] = "false",
            // With it, the queue trigger that scoring feeds: off too (it would need the host's storage, AzureWebJobsStorage).
            ["AzureWebJobs.ScorePartnership.Disabled"] = "true",
            ["Exports__PersonKeySecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Alerts__SigningKey"] = Convert.ToBase64String(SigningKey),
            ["Participants__SigningKey"] = Convert.ToBase64String(ParticipantKey),
            ["Alerts__PublicBaseUrl"] = "https://engagement.example.org",
        };
        var keys = new (string Name, string Key, string Role, string? Partnership)[]
        {
            ("admin", Admin, "admin", null),
            ("coordinator", Coordinator, "coordinator", null),
            ("ingest", Ingest, "ingest", null),
            ("analyst", Analyst, "analyst", null),
            ("coordinator-other", CoordinatorOfOther, "coordinator", "other"),
        };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Auth__ApiKeys__{i}__Name"] = keys[i].Name;
            settings[$"Auth__ApiKeys__{i}__Hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keys[i].Key)));
            settings[$"Auth__ApiKeys__{i}__Roles__0"] = keys[i].Role;
            if (keys[i].Partnership is { } partnership)
            {
                settings[$"Auth__ApiKeys__{i}__Partnerships__0"] = partnership;
            }
        }

        foreach (var (name, schedule) in Schedules)
        {
            settings[$"Schedules__{name}"] = schedule;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A signed acknowledge link's query, as the app signs it (HMAC-SHA256 of partnership, alert and expiry).</summary>
    public static string AcknowledgeQuery(string partnershipId, string alertId, long expires)
    {
        var payload = Encoding.UTF8.GetBytes($"{partnershipId}\n{alertId}\n{expires}");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(SigningKey, payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"p={Uri.EscapeDataString(partnershipId)}&a={Uri.EscapeDataString(alertId)}&e={expires}&s={signature}";
    }

    /// <summary>A signed follow-up sheet link's query, as the app signs it (HMAC-SHA256 of the purpose, partnership, expiry, request and person, cut to 128 bits).</summary>
    public static string FollowUpQuery(string partnershipId, string requestId, string personId, long expires)
    {
        var payload = Encoding.UTF8.GetBytes($"v1\nFollowUp\n{partnershipId}\n\n\n{expires}\n{requestId}\n{personId}");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(ParticipantKey, payload).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"p={Uri.EscapeDataString(partnershipId)}&r={Uri.EscapeDataString(requestId)}&w={Uri.EscapeDataString(personId)}&e={expires}&s={signature}";
    }
}
