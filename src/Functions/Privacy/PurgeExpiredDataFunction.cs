using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Engagement.Core.Privacy;
using Engagement.Core.Storage;
using Engagement.Functions.Datasets;
using Engagement.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Privacy;

/// <summary>Settings section <c>Privacy</c>.</summary>
internal sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Months without activity after which a person's name and e-mail are erased (default 24).</summary>
    [Range(1, 120)]
    public int RetentionMonths { get; set; } = 24;
}

internal static class PrivacyExtensions
{
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}

/// <summary>
/// The PurgeExpiredData timer (daily): for every partnership, erases the name and e-mail of people with no activity
/// (attendance, form submission, open or recently ended representation, change to their record) during the
/// retention period, and the unmatched respondent e-mails of older form submissions. Ids and attendance facts stay.
/// Then deletes the published dataset snapshots older than their retention (<see cref="DatasetRetention"/>).
/// </summary>
internal sealed partial class PurgeExpiredDataFunction(
    IPartnershipStore partnershipStore, IPrivacyStore privacyStore,
    IOptions<PrivacyOptions> options,
    DatasetRetention datasets,
    TimerRun run,
    ILogger<PurgeExpiredDataFunction> logger)
{
    [Function("PurgeExpiredData")]
    public Task Run([TimerTrigger("%Schedules:PurgeExpiredData%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("PurgeExpiredData", timer, startedAt => PurgeAsync(startedAt, cancellationToken));

    private async Task<IReadOnlyList<string>> PurgeAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var months = options.Value.RetentionMonths;
        var cutoff = RetentionPolicy.Cutoff(startedAt, months);
        var logs = new List<string>();
        var total = 0;
        foreach (var partnership in await partnershipStore.ListPartnershipsAsync(cancellationToken))
        {
            var activity = await privacyStore.ListPersonActivityAsync(partnership.Id, cancellationToken);
            var toErase = RetentionPolicy.PeopleToErase(activity, cutoff);
            var erased = await privacyStore.ErasePersonalDataAsync(partnership.Id, toErase, cutoff, startedAt, cancellationToken);
            total += erased;
            if (erased > 0)
            {
                LogErased(logger, partnership.Id, erased, months);
                logs.Add(string.Create(CultureInfo.InvariantCulture, $"{partnership.Id}: erased the personal data of {erased} inactive people"));
            }
        }

        logs.Add(string.Create(CultureInfo.InvariantCulture, $"erased the personal data of {total} people inactive since before {cutoff:yyyy-MM-dd} (retention {months} months)"));
        logs.AddRange(await datasets.PurgeAsync(startedAt, cancellationToken));
        return logs;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partnership {PartnershipId}: erased the personal data of {Count} people inactive for {Months} months")]
    private static partial void LogErased(ILogger logger, string partnershipId, int count, int months);
}
