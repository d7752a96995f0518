using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;

namespace Engagement.Graph.Forms;

/// <summary>
/// SyncFormsWorkbook: downloads each registered workbook that Microsoft Forms keeps in sync, and stores the rows whose
/// Forms <c>ID</c> is above the checkpoint as form submissions — through the same validation as the API (respondents
/// matched by e-mail, CACIS answers mapped for diagnostic forms). A row that cannot be stored is logged with its reason
/// and skipped; the checkpoint moves to the last row read once the others are stored.
/// </summary>
/// <remarks>
/// Forms writes <c>Start time</c> and <c>Completion time</c> in the tenant's clock; the setting <c>timeZone</c> (an
/// IANA id, default <c>America/Toronto</c>, Montréal's clock) turns them into instants.
/// </remarks>
public sealed class FormsWorkbookSync(IPartnershipStore partnershipStore, IIntegrationStore integrationStore, IMicrosoftGraph graph, IngestionService ingestion)
{
    /// <summary>Runs over every partnership; throws at the end if any workbook failed.</summary>
    public Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken) =>
        IntegrationRuns.RunAllAsync(partnershipStore, integrationStore, IntegrationKind.FormsWorkbook, "SyncFormsWorkbook", async registration => await SyncWorkbookAsync(registration, cancellationToken), cancellationToken);

    private async Task<List<string>> SyncWorkbookAsync(IntegrationRegistration registration, CancellationToken cancellationToken)
    {
        var label = $"{registration.PartnershipId}/{registration.Id}";
        var after = long.TryParse(registration.Checkpoint, NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : 0;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(registration.Settings.GetValueOrDefault("timeZone") ?? "America/Toronto");
        var bytes = await graph.DownloadDriveItemAsync(registration.Settings["driveId"], registration.Settings["itemId"], cancellationToken);
        using var stream = new MemoryStream(bytes);
        var rows = FormsWorkbookReader.Read(stream, after);
        var logs = new List<string>();
        var stored = 0;
        foreach (var chunk in rows.Chunk(500))
        {
            var pending = chunk.ToList();
            while (pending.Count > 0)
            {
                try
                {
                    var counts = await ingestion.UpsertFormSubmissionsAsync([.. pending.Select(row => Envelope(registration, row, zone))], cancellationToken);
                    stored += counts.Created + counts.Updated;
                    break;
                }
                catch (ValidationFailedException ex)
                {
                    // Leave out the rows the validation named, say why, and store the rest.
                    var bad = ex.Errors.ToDictionary()
                        .Select(e => (Index: BatchIndex(e.Key, pending.Count), Messages: e.Value))
                        .Where(e => e.Index >= 0)
                        .GroupBy(e => e.Index)
                        .ToDictionary(g => g.Key, g => string.Join(" ", g.SelectMany(e => e.Messages)));
                    if (bad.Count == 0)
                    {
                        throw;
                    }

                    foreach (var (index, reason) in bad.OrderBy(b => b.Key))
                    {
                        logs.Add($"{label}: row ID {pending[index].Id} skipped: {reason}");
                    }

                    pending = [.. pending.Where((_, i) => !bad.ContainsKey(i))];
                }
            }
        }

        if (rows.Count > 0)
        {
            await integrationStore.SetIntegrationCheckpointAsync(registration.PartnershipId, IntegrationKind.FormsWorkbook, registration.Id, rows.Max(r => r.Id).ToString(CultureInfo.InvariantCulture), cancellationToken);
        }

        logs.Insert(0, $"{label}: {rows.Count} new row(s) after ID {after}, {stored} submission(s) stored");
        return logs;
    }

    private static int BatchIndex(string field, int count)
    {
        if (count == 1)
        {
            return 0;
        }

        return field.StartsWith('[') && field.IndexOf(']', StringComparison.Ordinal) is var end and > 1
            && int.TryParse(field[1..end], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
    }

    private static FormSubmissionEnvelope Envelope(IntegrationRegistration registration, FormsWorkbookRow row, TimeZoneInfo zone)
    {
        var completed = DateTime.SpecifyKind(row.CompletionTime, DateTimeKind.Unspecified);
        var instant = new DateTimeOffset(completed, zone.GetUtcOffset(completed));
        var answers = new JsonObject();
        foreach (var (question, values) in row.Answers)
        {
            answers[question] = values.Count == 1 ? JsonValue.Create(values[0]) : new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }

        var body = new JsonObject
        {
            ["formId"] = registration.Id,
            ["responseId"] = row.Id.ToString(CultureInfo.InvariantCulture),
            ["partnershipId"] = registration.PartnershipId,
            ["submittedAt"] = instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
            ["answers"] = answers,
        };
        if (row.Email is { } email && Check.IsEmail(email.Trim()))
        {
            body["respondent"] = email.Trim();
        }

        return new FormSubmissionEnvelope { Body = JsonDocument.Parse(body.ToJsonString()).RootElement.Clone() };
    }
}
