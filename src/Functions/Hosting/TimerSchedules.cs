namespace Engagement.Functions.Hosting;

/// <summary>
/// The timer functions' default schedules (NCRONTAB, six fields, seconds first, UTC). Each timer reads its schedule
/// from the app setting <c>Schedules:{Name}</c> (<c>Schedules__{Name}</c> as an environment variable), so an operator
/// changes it without a redeploy; the deployment template sets every one of them to these defaults.
/// </summary>
internal static class TimerSchedules
{
    public const string Section = "Schedules";

    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
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
}
