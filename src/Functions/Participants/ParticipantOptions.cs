using System.ComponentModel.DataAnnotations;

namespace Engagement.Functions.Participants;

/// <summary>Settings section <c>Participants</c>: the participants' pages (sign-in at the door, feedback, the CACIS diagnostic).</summary>
internal sealed class ParticipantOptions
{
    public const string Section = "Participants";

    /// <summary>
    /// Base64 key (32 bytes or more) that signs the participants' links (HMAC-SHA256). Required outside Development; in
    /// Development one is created once beside the SQLite file. Changing it invalidates every link handed out.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Public address of the app for the links and QR codes (e.g. https://engagement.example.org); empty: the address the coordinator's request came to.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Minutes before a meeting's start from which its sign-in link works (default 60).</summary>
    [Range(0, 1440)]
    public int SignInOpensMinutesBefore { get; set; } = 60;

    /// <summary>Minutes after a meeting's end until which its sign-in link works (default 120).</summary>
    [Range(0, 2880)]
    public int SignInClosesMinutesAfter { get; set; } = 120;

    /// <summary>Days after a meeting's end during which its feedback link works (default 14).</summary>
    [Range(1, 90)]
    public int FeedbackDays { get; set; } = 14;

    /// <summary>Days a diagnostic link works when the coordinator gives no end (default 21); at most <see cref="DiagnosticMaxDays"/>.</summary>
    [Range(1, 180)]
    public int DiagnosticDays { get; set; } = 21;

    /// <summary>Longest a diagnostic link may be opened for, in days (default 90).</summary>
    [Range(1, 365)]
    public int DiagnosticMaxDays { get; set; } = 90;

    /// <summary>
    /// Requests a minute one client address may make to the participants' pages (default 240). A room's phones often
    /// share one public address (the venue's Wi-Fi): 40 people signing in take about 4 requests each.
    /// </summary>
    [Range(1, 100_000)]
    public int RequestsPerMinutePerAddress { get; set; } = 240;

    /// <summary>Requests a minute one signed link may serve, whoever sends them (default 600).</summary>
    [Range(1, 100_000)]
    public int RequestsPerMinutePerLink { get; set; } = 600;

    internal byte[] Key() => Convert.FromBase64String(SigningKey!.Trim());
}
