using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Hosting;
using Engagement.Functions.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Engagement.Functions.ActionPlans;

/// <summary>The action plan's routes: the handlers of <see cref="ActionPlansFunctions"/>, and the feature's services.</summary>
internal static class ActionPlansApi
{
    /// <summary>The form field of the dashboard's upload that holds the tracker.</summary>
    public const string UploadField = "tracker";

    // Room for a multipart envelope around a file of the largest size accepted.
    private const long MultipartOverhead = 64 * 1024;

    public static IHostApplicationBuilder AddActionPlans(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ActionPlanService>();
        builder.Services.AddScoped<TrackerImport>();
        return builder;
    }

    public static async Task<Ok<PlanView>> GetAsync(string partnershipId, ActionPlanService plans, CancellationToken cancellationToken) =>
        TypedResults.Ok(await plans.ReadAsync(partnershipId, cancellationToken));

    public static async Task<Ok<PlanWriteView>> PutAsync(string partnershipId, HttpRequest request, ActionPlanService plans, CancellationToken cancellationToken)
    {
        var input = await RequestBody.ReadJsonAsync<PlanInput>(request, RequestBody.BatchLimit, cancellationToken);
        return TypedResults.Ok(PlanWriteView.From(await plans.PutAsync(partnershipId, input, cancellationToken)));
    }

    public static async Task<Results<Created<ActionUpdateView>, Ok<ActionUpdateView>>> PostUpdateAsync(string partnershipId, string actionId, HttpRequest request, ActionPlanService plans, CancellationToken cancellationToken)
    {
        var input = await RequestBody.ReadJsonAsync<ActionUpdateInput>(request, RequestBody.SmallLimit, cancellationToken);
        var (created, update) = await plans.AddUpdateAsync(partnershipId, actionId, input, cancellationToken);
        var view = ActionUpdateView.From(update);
        return created
            ? TypedResults.Created($"/api/partnerships/{Uri.EscapeDataString(partnershipId)}/plan", view)
            : TypedResults.Ok(view);
    }

    public static async Task<Ok<ScheduleView>> PutScheduleAsync(string partnershipId, HttpRequest request, ActionPlanService plans, CancellationToken cancellationToken)
    {
        var input = await RequestBody.ReadJsonAsync<ScheduleInput>(request, RequestBody.SmallLimit, cancellationToken);
        return TypedResults.Ok(ScheduleView.From(await plans.SetScheduleAsync(partnershipId, input, cancellationToken)));
    }

    public static async Task<Ok<TrackerImportView>> ImportAsync(string partnershipId, HttpRequest request, IngestionService ingestion, TrackerImport import, CancellationToken cancellationToken)
    {
        var partnership = await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var file = await ReadTrackerAsync(request, partnership.Language, cancellationToken);
        var result = await import.ImportAsync(partnershipId, file, cancellationToken: cancellationToken);
        return result.Succeeded ? TypedResults.Ok(TrackerImportView.From(result)) : throw result.ToException();
    }

    public static async Task<IResult> TemplateAsync(string partnershipId, HttpRequest request, IngestionService ingestion, IRosterStore rosterStore, CancellationToken cancellationToken)
    {
        var partnership = await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var language = partnership.Language;
        if (request.Query["lang"].FirstOrDefault() is { Length: > 0 } lang && !WireNames.TryParse(lang, out language))
        {
            var errors = new ValidationErrors();
            errors.Add("lang", $"'lang' is '{Check.Shorten(lang)}'; use fr or en (left out: the partnership's language).");
            throw new ValidationFailedException(errors);
        }

        var roster = await rosterStore.GetRosterAsync(partnershipId, cancellationToken);
        var bytes = TrackerTemplate.Build(partnership, roster.Organizations, language);
        return TypedResults.File(bytes, TrackerTemplate.ContentType, TrackerTemplate.FileName(partnership, language));
    }

    /// <summary>
    /// The tracker's bytes: the body itself (the .xlsx content type, or application/octet-stream), or the file of a
    /// <c>multipart/form-data</c> upload (the field <c>tracker</c>, or its only file).
    /// </summary>
    internal static async Task<ReadOnlyMemory<byte>> ReadTrackerAsync(HttpRequest request, PartnershipLanguage language, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> file;
        if (RequestBody.IsMediaType(request, TrackerTemplate.ContentType, "application/octet-stream"))
        {
            file = await ReadWithinAsync(request, TrackerImport.MaxBytes, language, cancellationToken);
        }
        else if (RequestBody.IsMediaType(request, "multipart/form-data"))
        {
            file = await ReadUploadAsync(request, language, cancellationToken);
        }
        else
        {
            throw new RequestRejectedException(
                StatusCodes.Status415UnsupportedMediaType,
                "Content-Type",
                $"Send the tracker as {TrackerTemplate.ContentType} (the .xlsx file as the body) or as a multipart/form-data upload with the file in '{UploadField}' (got '{request.ContentType ?? "none"}').");
        }

        return file.Length <= TrackerImport.MaxBytes ? file : throw TooLarge(language);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadWithinAsync(HttpRequest request, long limit, PartnershipLanguage language, CancellationToken cancellationToken)
    {
        try
        {
            return await RequestBody.ReadLimitedAsync(request, limit, cancellationToken);
        }
        catch (RequestRejectedException rejected) when (rejected.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(language);
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadUploadAsync(HttpRequest request, PartnershipLanguage language, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || HeaderUtilities.RemoveQuotes(type.Boundary) is not { Length: > 0 and <= 70 } boundary)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, "Content-Type", "A multipart/form-data upload names its boundary (Content-Type: multipart/form-data; boundary=…); this one has none or one longer than 70 characters.");
        }

        var files = new List<(string Name, byte[] Bytes)>();
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is { } read)
        {
            // Already read as a form (the dashboard's upload, whose antiforgery field was checked first): its files.
            foreach (var upload in read.Files)
            {
                if (upload.Length > TrackerImport.MaxBytes)
                {
                    throw TooLarge(language);
                }

                using var content = new MemoryStream();
                await upload.CopyToAsync(content, cancellationToken);
                files.Add((upload.Name, content.ToArray()));
            }

            return OneFile(files);
        }

        var body = await ReadWithinAsync(request, TrackerImport.MaxBytes + MultipartOverhead, language, cancellationToken);
        var reader = new MultipartReader(boundary.ToString(), new MemoryStream(body.ToArray(), writable: false)) { BodyLengthLimit = TrackerImport.MaxBytes + MultipartOverhead };
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                {
                    using var content = new MemoryStream();
                    await section.Body.CopyToAsync(content, cancellationToken);
                    files.Add((HeaderUtilities.RemoveQuotes(disposition.Name).ToString(), content.ToArray()));
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, "body", $"The multipart upload could not be read: {ex.Message.TrimEnd('.')}. Send the .xlsx file in the form field '{UploadField}'.");
        }

        return OneFile(files);
    }

    /// <summary>The file in the upload field, or the upload's only file.</summary>
    private static ReadOnlyMemory<byte> OneFile(List<(string Name, byte[] Bytes)> files)
    {
        var named = files.Where(f => f.Name == UploadField).ToList();
        if (named.Count == 1 || (named.Count == 0 && files.Count == 1))
        {
            return (named.Count == 1 ? named[0] : files[0]).Bytes;
        }

        var errors = new ValidationErrors();
        errors.Add(UploadField, files.Count == 0
            ? $"Upload the tracker (.xlsx) in the form field '{UploadField}'; this upload has no file."
            : $"Upload one tracker (.xlsx) in the form field '{UploadField}'; this upload has {files.Count} files.");
        throw new ValidationFailedException(errors);
    }

    private static RequestRejectedException TooLarge(PartnershipLanguage language) =>
        new(StatusCodes.Status413PayloadTooLarge, "body", TrackerTexts.Say(language, "Error.TooLarge", TrackerImport.MaxBytes / (1024 * 1024)));
}
