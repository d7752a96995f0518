using System.Diagnostics.Metrics;
using Engagement.Core.Domain;

namespace Engagement.Functions.Telemetry;

/// <summary>Which records were ingested: the <c>kind</c> tag of <c>engagement.records.ingested</c>.</summary>
internal enum IngestedKind
{
    Attendance,
    Organizations,
    People,
    Representations,
    Meetings,
    Forms,
}

/// <summary>
/// The counters an operator charts, on one meter named <see cref="MeterName"/>. Every tag has a handful of values (a kind
/// of record, an outcome, a mail provider, a kind of source): never a partnership, person, e-mail or alert id, which
/// would make one time series per value and could name people.
/// </summary>
internal sealed class EngagementMetrics
{
    public const string MeterName = "Engagement";

    private readonly Counter<long> _recordsIngested;
    private readonly Counter<long> _organizationsScored;
    private readonly Counter<long> _partnershipsScored;
    private readonly Counter<long> _alertEmailsSent;
    private readonly Counter<long> _alertEmailsFailed;
    private readonly Counter<long> _syncFailures;

    public EngagementMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _recordsIngested = meter.CreateCounter<long>("engagement.records.ingested", "{record}", "Records written by the API and the Microsoft 365 syncs, by kind and by what the write did");
        _organizationsScored = meter.CreateCounter<long>("engagement.organizations.scored", "{organization}", "Organisations given a risk score");
        _partnershipsScored = meter.CreateCounter<long>("engagement.partnerships.scored", "{partnership}", "Partnerships given a risk score");
        _alertEmailsSent = meter.CreateCounter<long>("engagement.alert_emails.sent", "{email}", "Alert and digest e-mails the mail server accepted");
        _alertEmailsFailed = meter.CreateCounter<long>("engagement.alert_emails.failed", "{email}", "Alert and digest e-mails the mail server refused or could not be reached for (they stay pending)");
        _syncFailures = meter.CreateCounter<long>("engagement.sync.failures", "{source}", "Registered Microsoft 365 sources whose sync failed (retried next run)");
    }

    /// <summary>Counts what a write did; answers its counts unchanged.</summary>
    public WriteCounts RecordsIngested(IngestedKind kind, WriteCounts counts)
    {
        var tag = KindTag(kind);
        Add(_recordsIngested, counts.Created, tag, Outcome.Created);
        Add(_recordsIngested, counts.Updated, tag, Outcome.Updated);
        Add(_recordsIngested, counts.Unchanged, tag, Outcome.Unchanged);
        return counts;
    }

    public void PartnershipScored(int organizations)
    {
        _partnershipsScored.Add(1);
        if (organizations > 0)
        {
            _organizationsScored.Add(organizations);
        }
    }

    /// <summary>One e-mail handed to <paramref name="provider"/> (<c>smtp</c> or <c>graph</c>): accepted, or not.</summary>
    public void AlertEmail(string provider, bool sent) =>
        (sent ? _alertEmailsSent : _alertEmailsFailed).Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void SyncFailed(IntegrationKind source, int sources) =>
        _syncFailures.Add(sources, new KeyValuePair<string, object?>("source", WireNames.Format(source)));

    private static void Add(Counter<long> counter, int count, KeyValuePair<string, object?> kind, KeyValuePair<string, object?> outcome)
    {
        // A zero would still create the series; an operator's chart only needs the writes that happened.
        if (count > 0)
        {
            counter.Add(count, kind, outcome);
        }
    }

    private static KeyValuePair<string, object?> KindTag(IngestedKind kind) => new("kind", kind switch
    {
        IngestedKind.Attendance => "attendance",
        IngestedKind.Organizations => "organizations",
        IngestedKind.People => "people",
        IngestedKind.Representations => "representations",
        IngestedKind.Meetings => "meetings",
        _ => "forms",
    });

    private static class Outcome
    {
        public static readonly KeyValuePair<string, object?> Created = new("outcome", "created");
        public static readonly KeyValuePair<string, object?> Updated = new("outcome", "updated");
        public static readonly KeyValuePair<string, object?> Unchanged = new("outcome", "unchanged");
    }
}
