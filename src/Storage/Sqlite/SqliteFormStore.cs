using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>Form registrations and submissions in SQLite.</summary>
public sealed class SqliteFormStore(SqliteDatabase db) : IFormStore
{
    private const string FormColumns = "id, partnership_id, kind, title, diagnostic, questions";

    public async Task<WriteOutcome> UpsertFormAsync(FormDefinition form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var diagnostic = form.Diagnostic is null ? null : JsonSerializer.Serialize(StoredMapping.From(form.Diagnostic), Json);
        var questions = form.Questions is null ? null : JsonSerializer.Serialize(StoredQuestion.From(form.Questions), Json);
        return Outcome(await db.UpsertAsync(SqlTables.Forms, [[form.Id, form.PartnershipId, WireNames.Format(form.Kind), form.Title, diagnostic, questions]], cancellationToken));
    }

    public async Task<FormDefinition?> GetFormAsync(string formId, CancellationToken cancellationToken = default)
    {
        var list = await db.QueryAsync($"SELECT {FormColumns} FROM forms WHERE id = $p0", [formId], ReadForm, cancellationToken);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<FormDefinition>> ListFormsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        db.QueryAsync($"SELECT {FormColumns} FROM forms WHERE partnership_id = $p0 ORDER BY id", [partnershipId], ReadForm, cancellationToken);

    private static FormDefinition ReadForm(Microsoft.Data.Sqlite.SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        PartnershipId = r.GetString(1),
        Kind = Parse<FormKind>(r.GetString(2)),
        Title = r.IsDBNull(3) ? null : r.GetString(3),
        Diagnostic = r.IsDBNull(4) ? null : JsonSerializer.Deserialize<StoredMapping>(r.GetString(4), Json)!.ToMapping(),
        Questions = r.IsDBNull(5) ? null : [.. JsonSerializer.Deserialize<List<StoredQuestion>>(r.GetString(5), Json)!.Select(q => q.ToQuestion())],
    };

    public Task<WriteCounts> UpsertFormSubmissionsAsync(string partnershipId, IReadOnlyList<FormSubmission> submissions, CancellationToken cancellationToken = default) =>
        db.UpsertAsync(SqlTables.FormSubmissions, submissions.Select(s => new object?[]
        {
            Same(partnershipId, s.PartnershipId), s.FormId, s.ResponseId, WireNames.Format(s.Kind), s.RespondentPersonId, s.RespondentEmail,
            Instant(s.SubmittedAt), Utc(s.SubmittedAt), JsonSerializer.Serialize(OrderedAnswers(s.Answers), Json),
            s.DiagnosticItems is null ? null : JsonSerializer.Serialize(StoredValues.DiagnosticItems(s.DiagnosticItems), Json),
        }), cancellationToken);

    public Task<IReadOnlyList<FormSubmission>> ListFormSubmissionsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        db.QueryAsync(
            "SELECT partnership_id, form_id, response_id, kind, respondent_person_id, respondent_email, submitted_at, answers, diagnostic_items FROM form_submissions WHERE partnership_id = $p0 ORDER BY submitted_at_utc, form_id, response_id",
            [partnershipId],
            r => new FormSubmission
            {
                PartnershipId = r.GetString(0),
                FormId = r.GetString(1),
                ResponseId = r.GetString(2),
                Kind = Parse<FormKind>(r.GetString(3)),
                RespondentPersonId = r.IsDBNull(4) ? null : r.GetString(4),
                RespondentEmail = r.IsDBNull(5) ? null : r.GetString(5),
                SubmittedAt = ParseInstant(r.GetString(6)),
                Answers = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(r.GetString(7), Json)!
                    .ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value, StringComparer.Ordinal),
                DiagnosticItems = r.IsDBNull(8) ? null : ParseDiagnosticItems(JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(8), Json)!),
            },
            cancellationToken);
}
