using System.Security.Claims;
using System.Text.Json;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Hosting;
using Engagement.Functions.Partnerships;
using Engagement.Functions.Problems;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Engagement.Functions.Ingestion;

/// <summary>Attendance and form ingestion: the handlers of <see cref="IngestionFunctions"/>.</summary>
internal static class IngestionApi
{
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IngestionService>();
        return builder;
    }

    internal static async Task<Ok<WriteResponse>> PostAttendanceAsync(HttpRequest request, ClaimsPrincipal user, IngestionService ingestion, CancellationToken cancellationToken)
    {
        AttendanceBatchInput? batch;
        var queryPartnership = request.Query["partnershipId"].FirstOrDefault();
        if (RequestBody.IsJson(request))
        {
            batch = await RequestBody.ReadJsonAsync<AttendanceBatchInput>(request, RequestBody.BatchLimit, cancellationToken);
            if (batch is not null && batch.PartnershipId is null && queryPartnership is not null)
            {
                batch = batch with { PartnershipId = queryPartnership };
            }
        }
        else if (RequestBody.IsMediaType(request, "text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"))
        {
            var bytes = await RequestBody.ReadLimitedAsync(request, RequestBody.BatchLimit, cancellationToken);
            batch = await AttendanceCsv.ParseAsync(new MemoryStream(bytes.ToArray()), queryPartnership, cancellationToken);
        }
        else if (RequestBody.IsMediaType(request, "multipart/form-data"))
        {
            var upload = await CsvUpload.ReadAsync(request, RequestBody.BatchLimit, cancellationToken);
            batch = await AttendanceCsv.ParseAsync(new MemoryStream(upload.File.ToArray()), queryPartnership ?? upload.Fields.GetValueOrDefault("partnershipId"), cancellationToken);
        }
        else
        {
            throw new RequestRejectedException(StatusCodes.Status415UnsupportedMediaType, "Content-Type", $"Send attendance as application/json, text/csv or a multipart/form-data upload (got '{request.ContentType ?? "none"}').");
        }

        if (batch?.PartnershipId is { } partnershipId)
        {
            user.RequireAccess(partnershipId);
        }

        try
        {
            return TypedResults.Ok(WriteResponse.From(await ingestion.UpsertAttendanceAsync(batch, cancellationToken)));
        }
        catch (ValidationFailedException failure) when (batch?.SourceLines is { } lines)
        {
            throw AttendanceCsv.WithLines(failure, lines);
        }
    }

    internal static async Task<Ok<WriteResponse>> PostSubmissionsAsync(HttpRequest request, ClaimsPrincipal user, IngestionService ingestion, IFormStore formStore, CancellationToken cancellationToken)
    {
        using var document = await RequestBody.ReadDocumentAsync(request, RequestBody.BatchLimit, cancellationToken);
        string? Query(string name) => request.Query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        var root = document.RootElement;
        var bodies = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
        var envelopes = bodies.Select(b => new FormSubmissionEnvelope
        {
            Body = b,
            PartnershipId = Query("partnershipId"),
            FormId = Query("formId"),
            ResponseId = Query("responseId"),
        }).ToList();

        // The key's partnership scope is checked against every partnership the batch could write to.
        foreach (var partnershipId in await TargetPartnershipsAsync(envelopes, formStore, cancellationToken))
        {
            user.RequireAccess(partnershipId);
        }

        return TypedResults.Ok(WriteResponse.From(await ingestion.UpsertFormSubmissionsAsync(envelopes, cancellationToken)));
    }

    /// <summary>
    /// Every partnership the batch could write to, read the way ingestion reads it (<see cref="FormSubmissionEnvelope.Given"/>):
    /// the registered form's, and the one given in the body or query.
    /// </summary>
    private static async Task<HashSet<string>> TargetPartnershipsAsync(List<FormSubmissionEnvelope> envelopes, IFormStore formStore, CancellationToken cancellationToken)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var envelope in envelopes.Where(e => e.Body.ValueKind == JsonValueKind.Object))
        {
            if (envelope.Given("formId") is { } formId && Check.IsValidId(formId, out _) && await formStore.GetFormAsync(formId, cancellationToken) is { } form)
            {
                targets.Add(form.PartnershipId);
            }

            if (envelope.Given("partnershipId") is { } given)
            {
                targets.Add(given);
            }
        }

        return targets;
    }

    internal static async Task<Results<Created<WriteResponse>, Ok<WriteResponse>>> PutFormAsync(string formId, HttpRequest request, ClaimsPrincipal user, IngestionService ingestion, CancellationToken cancellationToken)
    {
        var input = await RequestBody.ReadJsonAsync<FormInput>(request, RequestBody.SmallLimit, cancellationToken);
        if (input?.PartnershipId is { } partnershipId)
        {
            user.RequireAccess(partnershipId);
        }

        var outcome = await ingestion.UpsertFormAsync(formId, input, cancellationToken);
        return outcome == Core.Domain.WriteOutcome.Created
            ? TypedResults.Created($"/api/forms/{Uri.EscapeDataString(formId)}", WriteResponse.From(outcome))
            : TypedResults.Ok(WriteResponse.From(outcome));
    }

    internal static async Task<Ok<FormView>> GetFormAsync(string formId, ClaimsPrincipal user, IFormStore formStore, CancellationToken cancellationToken)
    {
        var form = await formStore.GetFormAsync(formId, cancellationToken)
            ?? throw new NotFoundException("formId", $"Form '{formId}' is not registered.");
        user.RequireAccess(form.PartnershipId);
        return TypedResults.Ok(FormView.From(form));
    }
}
