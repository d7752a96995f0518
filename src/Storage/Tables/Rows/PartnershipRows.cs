using System.Runtime.Serialization;
using System.Text.Json;
using Engagement.Core.Domain;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables.Rows;

/// <summary>A partnership, in <c>{prefix}Partnerships</c>: PartitionKey <c>partnership</c>, RowKey its id.</summary>
internal sealed class PartnershipRow : TableRow
{
    public const string Partition = "partnership";

    public string? Name { get; set; }

    public string? Territory { get; set; }

    public string? Language { get; set; }

    /// <summary>JSON array.</summary>
    public string? CoordinatorEmails { get; set; }

    /// <summary>Absent from rows written before the setting existed: those partnerships were e-mailed, and stay so.</summary>
    public bool? AlertEmails { get; set; }

    public static PartnershipRow From(Partnership partnership) => new()
    {
        PartitionKey = Partition,
        RowKey = partnership.Id,
        Name = partnership.Name,
        Territory = partnership.Territory,
        Language = WireNames.Format(partnership.Language),
        CoordinatorEmails = JsonSerializer.Serialize(partnership.CoordinatorEmails, RowJson.Web),
        AlertEmails = partnership.AlertEmails,
    };

    public Partnership ToPartnership() => new()
    {
        Id = RowKey,
        Name = Name!,
        Territory = Territory,
        Language = Parse<PartnershipLanguage>(Language),
        CoordinatorEmails = JsonSerializer.Deserialize<List<string>>(CoordinatorEmails ?? "[]", RowJson.Web) ?? [],
        AlertEmails = AlertEmails ?? true,
    };
}

/// <summary>
/// A form registration, in <c>{prefix}Forms</c> (looked up by form id alone): PartitionKey <c>form</c>, RowKey its id.
/// The questions of a form the product's pages ask may pass one property's length: they span <c>Questions0</c>… as long
/// answers do (<see cref="LongText"/>).
/// </summary>
internal sealed class FormRow : TableRow
{
    public const string Partition = "form";

    public string? PartnershipId { get; set; }

    public string? Kind { get; set; }

    public string? Title { get; set; }

    /// <summary>The diagnostic mapping as JSON, or null.</summary>
    public string? Diagnostic { get; set; }

    /// <summary>The questions as JSON, or null (absent from rows written before forms had questions).</summary>
    [IgnoreDataMember]
    public string? Questions
    {
        get => LongText.Join(QuestionsParts, Questions0, Questions1, Questions2, Questions3, Questions4, Questions5, Questions6, Questions7, Questions8, Questions9, Questions10, Questions11, Questions12, Questions13, Questions14, Questions15);
        set => QuestionsParts = LongText.Split("Questions", value, ref Questions0, ref Questions1, ref Questions2, ref Questions3, ref Questions4, ref Questions5, ref Questions6, ref Questions7, ref Questions8, ref Questions9, ref Questions10, ref Questions11, ref Questions12, ref Questions13, ref Questions14, ref Questions15);
    }

    public int? QuestionsParts { get; set; }

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.
    public string? Questions0, Questions1, Questions2, Questions3, Questions4, Questions5, Questions6, Questions7, Questions8, Questions9, Questions10, Questions11, Questions12, Questions13, Questions14, Questions15;
#pragma warning restore CA1051

    public static FormRow From(FormDefinition form) => new()
    {
        PartitionKey = Partition,
        RowKey = form.Id,
        PartnershipId = form.PartnershipId,
        Kind = WireNames.Format(form.Kind),
        Title = form.Title,
        Diagnostic = form.Diagnostic is null ? null : JsonSerializer.Serialize(StoredMapping.From(form.Diagnostic), RowJson.Web),
        Questions = form.Questions is null ? null : JsonSerializer.Serialize(StoredQuestion.From(form.Questions), RowJson.Web),
    };

    public FormDefinition ToForm() => new()
    {
        Id = RowKey,
        PartnershipId = PartnershipId!,
        Kind = Parse<FormKind>(Kind),
        Title = Title,
        Diagnostic = Diagnostic is { } d ? JsonSerializer.Deserialize<StoredMapping>(d, RowJson.Web)!.ToMapping() : null,
        Questions = Questions is { } q ? [.. JsonSerializer.Deserialize<List<StoredQuestion>>(q, RowJson.Web)!.Select(x => x.ToQuestion())] : null,
    };
}
