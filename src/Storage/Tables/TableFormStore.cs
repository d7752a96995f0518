using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Form registrations (the <c>{prefix}Forms</c> table) and submissions (their partnership's partition).</summary>
public sealed class TableFormStore(TableStorage storage) : IFormStore
{
    public async Task<WriteOutcome> UpsertFormAsync(FormDefinition form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Outcome(await storage.UpsertAsync(storage.Forms, FormRow.Partition, [FormRow.From(form)], null, null, cancellationToken));
    }

    public async Task<FormDefinition?> GetFormAsync(string formId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        return (await storage.Forms.GetAsync<FormRow>(FormRow.Partition, formId, cancellationToken))?.ToForm();
    }

    public async Task<IReadOnlyList<FormDefinition>> ListFormsAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        var forms = new List<FormDefinition>();
        await foreach (var row in storage.Forms.QueryAsync<FormRow>(TableClient.CreateQueryFilter($"PartitionKey eq {FormRow.Partition} and PartnershipId eq {partnershipId}"), cancellationToken: cancellationToken))
        {
            forms.Add(row.ToForm());
        }

        return [.. forms.OrderBy(f => f.Id, StringComparer.Ordinal)];
    }

    public Task<WriteCounts> UpsertFormSubmissionsAsync(string partnershipId, IReadOnlyList<FormSubmission> submissions, CancellationToken cancellationToken = default) =>
        storage.UpsertKindAsync(partnershipId, SubmissionRow.Prefix, submissions.Select(s => SubmissionRow.From(Same(partnershipId, s.PartnershipId), s)), null, cancellationToken);

    public async Task<IReadOnlyList<FormSubmission>> ListFormSubmissionsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await storage.RangeAsync<SubmissionRow>(partnershipId, [SubmissionRow.Prefix], null, cancellationToken)).Select(s => s.ToSubmission())
            .OrderBy(s => s.SubmittedAt.UtcDateTime).ThenBy(s => s.FormId, StringComparer.Ordinal).ThenBy(s => s.ResponseId, StringComparer.Ordinal)];
}
