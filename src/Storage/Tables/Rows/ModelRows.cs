using System.Globalization;
using System.Runtime.Serialization;
using System.Text.Json;
using Engagement.Core.Domain;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables.Rows;

/// <summary>A risk score of one day, in <c>{prefix}Data</c>: RowKey <c>risk|yyyyMMdd|organisation</c> (empty organisation: the partnership).</summary>
internal sealed class RiskSnapshotRow : TableRow
{
    public const string Prefix = "risk";

    public string? OrganizationId { get; set; }

    public string? AsOfDate { get; set; }

    public string? ScoredAt { get; set; }

    public double Probability { get; set; }

    public string? Band { get; set; }

    public string? ModelVersion { get; set; }

    public bool PriorModel { get; set; }

    public double? PreviousProbability { get; set; }

    /// <summary>JSON array.</summary>
    public string? Reasons { get; set; }

    /// <summary>JSON object.</summary>
    public string? Features { get; set; }

    public static string Day(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static RiskSnapshotRow From(string partitionKey, RiskSnapshot snapshot) => new()
    {
        PartitionKey = partitionKey,
        RowKey = TableKeys.Compose(Prefix, Day(snapshot.AsOfDate), snapshot.OrganizationId ?? string.Empty),
        OrganizationId = snapshot.OrganizationId,
        AsOfDate = Date(snapshot.AsOfDate),
        ScoredAt = Instant(snapshot.ScoredAt),
        Probability = snapshot.Probability,
        Band = snapshot.Band,
        ModelVersion = snapshot.ModelVersion,
        PriorModel = snapshot.PriorModel,
        PreviousProbability = snapshot.PreviousProbability,
        Reasons = JsonSerializer.Serialize(snapshot.Reasons, RowJson.Web),
        Features = JsonSerializer.Serialize(snapshot.Features, RowJson.Web),
    };

    public RiskSnapshot ToSnapshot() => new()
    {
        PartnershipId = PartitionKey,
        OrganizationId = OrganizationId,
        AsOfDate = ParseDate(AsOfDate!),
        ScoredAt = ParseInstant(ScoredAt!),
        Probability = Probability,
        Band = Band!,
        ModelVersion = ModelVersion!,
        PriorModel = PriorModel,
        PreviousProbability = PreviousProbability,
        Reasons = JsonSerializer.Deserialize<List<SnapshotReason>>(Reasons ?? "[]", RowJson.Web) ?? [],
        Features = JsonSerializer.Deserialize<Dictionary<string, double>>(Features ?? "{}", RowJson.Web) ?? [],
    };
}

/// <summary>A trained model, in <c>{prefix}Models</c>: PartitionKey <c>model</c>, RowKey its version.</summary>
internal sealed class ModelRow : TableRow
{
    public const string Partition = "model";

    public string? Kind { get; set; }

    public string? CreatedAt { get; set; }

    /// <summary>The model file, over <c>Artifact0</c>… (<see cref="LongText"/>).</summary>
    [IgnoreDataMember]
    public string Artifact
    {
        get => LongText.Join(ArtifactParts, Artifact0, Artifact1, Artifact2, Artifact3, Artifact4, Artifact5, Artifact6, Artifact7, Artifact8, Artifact9, Artifact10, Artifact11, Artifact12, Artifact13, Artifact14, Artifact15) ?? string.Empty;
        set => ArtifactParts = LongText.Split("Artifact", value, ref Artifact0, ref Artifact1, ref Artifact2, ref Artifact3, ref Artifact4, ref Artifact5, ref Artifact6, ref Artifact7, ref Artifact8, ref Artifact9, ref Artifact10, ref Artifact11, ref Artifact12, ref Artifact13, ref Artifact14, ref Artifact15);
    }

    public int? ArtifactParts { get; set; }

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.
    public string? Artifact0, Artifact1, Artifact2, Artifact3, Artifact4, Artifact5, Artifact6, Artifact7, Artifact8, Artifact9, Artifact10, Artifact11, Artifact12, Artifact13, Artifact14, Artifact15;
#pragma warning restore CA1051

    public static ModelRow From(StoredModel model) => new()
    {
        PartitionKey = Partition,
        RowKey = model.Version,
        Kind = model.Kind,
        CreatedAt = Instant(model.CreatedAt),
        Artifact = model.Artifact,
    };

    public StoredModel ToModel() => new()
    {
        Version = RowKey,
        Kind = Kind!,
        CreatedAt = ParseInstant(CreatedAt!),
        Artifact = Artifact,
    };
}

/// <summary>Which model scores, in <c>{prefix}Models</c>: PartitionKey <c>champion</c>, RowKey <c>current</c>.</summary>
internal sealed class ChampionRow : TableRow
{
    public const string Partition = "champion", Current = "current";

    public string? Version { get; set; }
}

/// <summary>
/// One retraining run, in <c>{prefix}Models</c>: PartitionKey <c>retraining</c>, RowKey counting down with time
/// (<c>MaxTicks − ticks</c>, then the challenger) so the newest comes first in key order.
/// </summary>
internal sealed class RetrainingRow : TableRow
{
    public const string Partition = "retraining";

    public string? RanAt { get; set; }

    public string? ChallengerVersion { get; set; }

    public string? ChampionVersion { get; set; }

    public bool Promoted { get; set; }

    public string? Reason { get; set; }

    /// <summary>The challenger's evaluation (JSON), over several properties.</summary>
    [IgnoreDataMember]
    public string ChallengerEvaluation
    {
        get => LongText.Join(ChallengerEvaluationParts, ChallengerEvaluation0, ChallengerEvaluation1, ChallengerEvaluation2, ChallengerEvaluation3, ChallengerEvaluation4, ChallengerEvaluation5, ChallengerEvaluation6, ChallengerEvaluation7, ChallengerEvaluation8, ChallengerEvaluation9, ChallengerEvaluation10, ChallengerEvaluation11, ChallengerEvaluation12, ChallengerEvaluation13, ChallengerEvaluation14, ChallengerEvaluation15) ?? string.Empty;
        set => ChallengerEvaluationParts = LongText.Split("ChallengerEvaluation", value, ref ChallengerEvaluation0, ref ChallengerEvaluation1, ref ChallengerEvaluation2, ref ChallengerEvaluation3, ref ChallengerEvaluation4, ref ChallengerEvaluation5, ref ChallengerEvaluation6, ref ChallengerEvaluation7, ref ChallengerEvaluation8, ref ChallengerEvaluation9, ref ChallengerEvaluation10, ref ChallengerEvaluation11, ref ChallengerEvaluation12, ref ChallengerEvaluation13, ref ChallengerEvaluation14, ref ChallengerEvaluation15);
    }

    public int? ChallengerEvaluationParts { get; set; }

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.
    public string? ChallengerEvaluation0, ChallengerEvaluation1, ChallengerEvaluation2, ChallengerEvaluation3, ChallengerEvaluation4, ChallengerEvaluation5, ChallengerEvaluation6, ChallengerEvaluation7, ChallengerEvaluation8, ChallengerEvaluation9, ChallengerEvaluation10, ChallengerEvaluation11, ChallengerEvaluation12, ChallengerEvaluation13, ChallengerEvaluation14, ChallengerEvaluation15;
#pragma warning restore CA1051

    /// <summary>The champion's evaluation (JSON), over several properties.</summary>
    [IgnoreDataMember]
    public string ChampionEvaluation
    {
        get => LongText.Join(ChampionEvaluationParts, ChampionEvaluation0, ChampionEvaluation1, ChampionEvaluation2, ChampionEvaluation3, ChampionEvaluation4, ChampionEvaluation5, ChampionEvaluation6, ChampionEvaluation7, ChampionEvaluation8, ChampionEvaluation9, ChampionEvaluation10, ChampionEvaluation11, ChampionEvaluation12, ChampionEvaluation13, ChampionEvaluation14, ChampionEvaluation15) ?? string.Empty;
        set => ChampionEvaluationParts = LongText.Split("ChampionEvaluation", value, ref ChampionEvaluation0, ref ChampionEvaluation1, ref ChampionEvaluation2, ref ChampionEvaluation3, ref ChampionEvaluation4, ref ChampionEvaluation5, ref ChampionEvaluation6, ref ChampionEvaluation7, ref ChampionEvaluation8, ref ChampionEvaluation9, ref ChampionEvaluation10, ref ChampionEvaluation11, ref ChampionEvaluation12, ref ChampionEvaluation13, ref ChampionEvaluation14, ref ChampionEvaluation15);
    }

    public int? ChampionEvaluationParts { get; set; }

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.
    public string? ChampionEvaluation0, ChampionEvaluation1, ChampionEvaluation2, ChampionEvaluation3, ChampionEvaluation4, ChampionEvaluation5, ChampionEvaluation6, ChampionEvaluation7, ChampionEvaluation8, ChampionEvaluation9, ChampionEvaluation10, ChampionEvaluation11, ChampionEvaluation12, ChampionEvaluation13, ChampionEvaluation14, ChampionEvaluation15;
#pragma warning restore CA1051

    public static RetrainingRow From(RetrainingRecord record) => new()
    {
        PartitionKey = Partition,
        RowKey = TableKeys.Compose(Countdown(record.RanAt), record.ChallengerVersion),
        RanAt = Instant(record.RanAt),
        ChallengerVersion = record.ChallengerVersion,
        ChampionVersion = record.ChampionVersion,
        Promoted = record.Promoted,
        Reason = record.Reason,
        ChallengerEvaluation = record.ChallengerEvaluation,
        ChampionEvaluation = record.ChampionEvaluation,
    };

    public RetrainingRecord ToRecord() => new()
    {
        RanAt = ParseInstant(RanAt!),
        ChallengerVersion = ChallengerVersion!,
        ChampionVersion = ChampionVersion!,
        Promoted = Promoted,
        Reason = Reason!,
        ChallengerEvaluation = ChallengerEvaluation,
        ChampionEvaluation = ChampionEvaluation,
    };

    /// <summary>A key part that sorts the newest instant first.</summary>
    public static string Countdown(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}

/// <summary>One export, in <c>{prefix}Models</c>: PartitionKey <c>export-audit</c>, RowKey counting down with time, then a random id.</summary>
internal sealed class ExportAuditRow : TableRow
{
    public const string Partition = "export-audit";

    public string? At { get; set; }

    /// <summary>The instant, typed, to filter on.</summary>
    public DateTimeOffset? AtUtc { get; set; }

    public string? Caller { get; set; }

    public string? What { get; set; }

    public int Rows { get; set; }

    public bool PersonalData { get; set; }

    public string? Filter { get; set; }

    public static ExportAuditRow From(ExportAudit audit) => new()
    {
        PartitionKey = Partition,
        RowKey = TableKeys.Compose(RetrainingRow.Countdown(audit.At), Guid.NewGuid().ToString("N")),
        At = Instant(audit.At),
        AtUtc = audit.At.ToUniversalTime(),
        Caller = audit.Caller,
        What = audit.What,
        Rows = audit.Rows,
        PersonalData = audit.PersonalData,
        Filter = audit.Filter,
    };

    public ExportAudit ToAudit() => new()
    {
        At = ParseInstant(At!),
        Caller = Caller!,
        What = What!,
        Rows = Rows,
        PersonalData = PersonalData,
        Filter = Filter,
    };
}
