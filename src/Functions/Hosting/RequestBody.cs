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
        RequireUtf8(bytes.Span);
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
        RequireUtf8(bytes.Span);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw Invalid(ex);
        }

        // A document is read lazily: a string escaping half a surrogate pair ("\ud800") parses, and fails only when
        // read. Every string and name is read once here, so that it is a 400 naming the field, not a failure later.
        if (FirstUnreadableString(document.RootElement, "body") is { } path)
        {
            document.Dispose();
            var errors = new ValidationErrors();
            errors.Add(path, $"'{path}' holds text that is not valid Unicode (an escaped half of a surrogate pair, such as \\ud800).");
            throw new ValidationFailedException(errors, "The JSON body could not be read.");
        }

        return document;
    }

    /// <summary>Refuses a body that is not UTF-8 (JSON is UTF-8: RFC 8259 §8.1), naming the first bad byte.</summary>
    private static void RequireUtf8(ReadOnlySpan<byte> bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            var valid = 0;
            while (System.Text.Rune.DecodeFromUtf8(bytes[valid..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                valid += consumed;
            }

            var errors = new ValidationErrors();
            errors.Add("body", $"The body is not valid UTF-8 (byte {valid + 1}); send JSON encoded as UTF-8.");
            throw new ValidationFailedException(errors, "The JSON body could not be read.");
        }
    }

    private static string? FirstUnreadableString(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(() => element.GetString()) ? null : path;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUnreadableString(item, $"{path}[{i++}]") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(() => property.Name))
                    {
                        return path;
                    }

                    if (FirstUnreadableString(property.Value, path == "body" ? property.Name : $"{path}.{property.Name}") is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
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

    // Only a batch can be split; a single object over the small limit is simply too large.
    private static RequestRejectedException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "body", limit >= BatchLimit
            ? $"The body is larger than {limit / (1024 * 1024)} MiB; split the batch into smaller requests."
            : $"The body is larger than {limit / (1024 * 1024)} MiB, more than one record of this kind can hold.");

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
