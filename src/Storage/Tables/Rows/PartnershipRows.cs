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

/// <summary>A form registration, in <c>{prefix}Forms</c> (looked up by form id alone): PartitionKey <c>form</c>, RowKey its id.</summary>
internal sealed class FormRow : TableRow
{
    public const string Partition = "form";

    public string? PartnershipId { get; set; }

    public string? Kind { get; set; }

    public string? Title { get; set; }

    /// <summary>The diagnostic mapping as JSON, or null.</summary>
    public string? Diagnostic { get; set; }

    public static FormRow From(FormDefinition form) => new()
    {
        PartitionKey = Partition,
        RowKey = form.Id,
        PartnershipId = form.PartnershipId,
        Kind = WireNames.Format(form.Kind),
        Title = form.Title,
        Diagnostic = form.Diagnostic is null ? null : JsonSerializer.Serialize(StoredMapping.From(form.Diagnostic), RowJson.Web),
    };

    public FormDefinition ToForm() => new()
    {
        Id = RowKey,
        PartnershipId = PartnershipId!,
        Kind = Parse<FormKind>(Kind),
        Title = Title,
        Diagnostic = Diagnostic is { } d ? JsonSerializer.Deserialize<StoredMapping>(d, RowJson.Web)!.ToMapping() : null,
    };
}
