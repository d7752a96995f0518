using System.Text.Json;
using Engagement.Core.Validation;
using Engagement.Functions.Problems;
using Microsoft.Net.Http.Headers;

namespace Engagement.Functions.Hosting;

/// <summary>Reads request bodies with a size limit and a content-type check, turning JSON errors into field errors.</summary>
internal static class RequestBody
{
    public const long SmallLimit = 1 * 1024 * 1024;
    public const long BatchLimit = 8 * 1024 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static bool IsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    public static bool IsMediaType(HttpRequest request, params string[] mediaTypes) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && mediaTypes.Any(m => type.MediaType.Equals(m, StringComparison.OrdinalIgnoreCase));

    public static async Task<T?> ReadJsonAsync<T>(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        RequireJson(request);
        var bytes = await ReadLimitedAsync(request, limit, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes.Span, Json);
        }
        catch (JsonException ex)
        {
            throw Invalid(ex);
        }
    }

    public static async Task<JsonDocument> ReadDocumentAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        RequireJson(request);
        var bytes = await ReadLimitedAsync(request, limit, cancellationToken);
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw Invalid(ex);
        }
    }

    public static void RequireJson(HttpRequest request)
    {
        if (!IsJson(request))
        {
            throw new RequestRejectedException(StatusCodes.Status415UnsupportedMediaType, "Content-Type", $"Send the body as application/json (got '{request.ContentType ?? "none"}').");
        }
    }

    /// <summary>Reads the whole body, refusing it with 413 as soon as it passes <paramref name="limit"/> bytes.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadLimitedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static RequestRejectedException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "body", $"The body is larger than {limit / (1024 * 1024)} MiB; split it into smaller requests.");

    private static ValidationFailedException Invalid(JsonException ex)
    {
        var errors = new ValidationErrors();
        var path = ex.Path is null or "$" ? "body" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path.TrimStart('$');
        var message = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"'{path}' is not a known field."
            : $"'{path}' has a value of the wrong type, or the JSON is malformed near it (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}).";
        errors.Add(path, message);
        return new ValidationFailedException(errors, "The JSON body could not be read.");
    }
}
