using Engagement.Functions.Alerts;
using Engagement.Functions.Integrations;
using Engagement.Functions.Privacy;
using Engagement.Functions.Risk;

namespace Engagement.Functions.Hosting;

/// <summary>How the Functions host guards an HTTP function before forwarding it (function.json <c>authLevel</c>).</summary>
internal enum AuthLevel
{
    Anonymous,
    Function,
    Admin,
}

/// <summary>An HTTP function: the host forwards matching requests under <c>/api/{Route}</c> to this app.</summary>
internal sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthLevel AuthLevel);

/// <summary>A timer function: the host (or the standalone scheduler) invokes it on an NCRONTAB schedule in UTC.</summary>
internal sealed record TimerFunction(string Name, string Schedule, Type Implementation, string Description)
{
    /// <summary>The schedule, overridable by the setting <c>Functions:Schedules:{Name}</c>.</summary>
    public string ScheduleFrom(IConfiguration configuration) =>
        configuration[$"Functions:Schedules:{Name}"] is { Length: > 0 } custom ? custom : Schedule;
}

/// <summary>
/// The one source of truth for the app's functions: names, routes, methods, auth levels and schedules. The
/// <c>emit-functions</c> command writes host.json and the function folders from it, the timer endpoints and the
/// standalone scheduler are built from it, and a test checks that every /api endpoint falls under one of its routes.
/// </summary>
internal static class FunctionRegistry
{
    public const string RoutePrefix = "api";

    public static IReadOnlyList<HttpFunction> Http { get; } =
    [
        new("Health", "health", ["get"], AuthLevel.Anonymous),
        new("Partnerships", "partnerships/{*path}", ["get", "put", "post", "delete"], AuthLevel.Function),
        new("Attendance", "attendance", ["post"], AuthLevel.Function),
        new("Forms", "forms/{*path}", ["get", "put", "post"], AuthLevel.Function),
        new("OpenApi", "openapi/{*path}", ["get"], AuthLevel.Function),
        new("Risk", "risk", ["get"], AuthLevel.Function),
        new("Alerts", "alerts/{*path}", ["get", "post"], AuthLevel.Function),
        new("Acknowledge", "acknowledge", ["get", "post"], AuthLevel.Anonymous),
        new("Exports", "exports/{*path}", ["get"], AuthLevel.Function),
        new("OData", "odata/{*path}", ["get"], AuthLevel.Function),
        new("Dashboard", "dashboard/{*path}", ["get", "post"], AuthLevel.Anonymous),
    ];

    public static IReadOnlyList<TimerFunction> Timers { get; } =
    [
        new("SyncTeamsAttendance", "0 5 * * * *", typeof(SyncTeamsAttendanceFunction), "Reads new Teams attendance reports of the registered meetings."),
        new("SyncFormsWorkbook", "0 */15 * * * *", typeof(SyncFormsWorkbookFunction), "Reads new rows of the registered Forms workbooks as form submissions."),
        new("SyncGroupMembership", "0 15 2 * * *", typeof(SyncGroupMembershipFunction), "Turns group membership changes into representations started and ended (turnover)."),
        new("ScoreRisk", "0 0 4 * * *", typeof(ScoreRiskFunction), "Scores every partnership and organisation; keeps one snapshot per day with its reasons."),
        new("SendAlerts", "0 */15 * * * *", typeof(SendAlertsFunction), "Delivers pending alert e-mails from the outbox, each exactly once."),
        new("SendDigest", "0 0 11 * * 1", typeof(SendDigestFunction), "Queues the weekly summary of open alerts for each partnership's coordinators (Mondays)."),
        new("RetrainModel", "0 0 5 * * 1", typeof(RetrainModelFunction), "Trains a challenger; promotes it only if it beats the champion on the later time slice."),
        new("PurgeExpiredData", "0 30 3 * * *", typeof(PurgeExpiredDataFunction), "Erases names and e-mails of people inactive for the retention period."),
    ];

    public static IEnumerable<string> Names => Http.Select(f => f.Name).Concat(Timers.Select(t => t.Name));
}
