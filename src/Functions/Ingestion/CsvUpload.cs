using Engagement.Core.Validation;
using Engagement.Functions.Hosting;
using Engagement.Functions.Problems;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Engagement.Functions.Ingestion;

/// <summary>A <c>multipart/form-data</c> upload of one CSV file, with its form fields.</summary>
/// <param name="File">The file's bytes.</param>
/// <param name="Fields">The text fields sent beside it (e.g. <c>partnershipId</c>), first value of each name.</param>
internal sealed record CsvUpload(ReadOnlyMemory<byte> File, IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>
    /// Reads the upload within <paramref name="limit"/> bytes actually read, whatever the framing (a chunked upload
    /// has no length to check beforehand), then parses the parts from memory. A malformed upload — no boundary, a
    /// boundary the body never uses, a truncated body, oversized part headers — is a 400 naming what is wrong; an
    /// upload with no file or several is a 400 naming <c>file</c>.
    /// </summary>
    public static async Task<CsvUpload> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || HeaderUtilities.RemoveQuotes(type.Boundary) is not { Length: > 0 and <= 70 } boundary)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, "Content-Type", "A multipart/form-data upload names its boundary (Content-Type: multipart/form-data; boundary=…); this one has none or one longer than 70 characters.");
        }

        var body = await RequestBody.ReadLimitedAsync(request, limit, cancellationToken);
        var reader = new MultipartReader(boundary.ToString(), new MemoryStream(body.ToArray(), writable: false)) { BodyLengthLimit = limit };
        var files = new List<(string Name, byte[] Bytes)>();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                using var content = new MemoryStream();
                await section.Body.CopyToAsync(content, cancellationToken);
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (disposition.IsFileDisposition())
                {
                    files.Add((HeaderUtilities.RemoveQuotes(disposition.Name).ToString(), content.ToArray()));
                }
                else if (HeaderUtilities.RemoveQuotes(disposition.Name).ToString() is { Length: > 0 } name && !fields.ContainsKey(name))
                {
                    fields[name] = System.Text.Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, "body", $"The multipart upload could not be read: {ex.Message.TrimEnd('.')}. Send one CSV file as multipart/form-data, or the CSV itself as text/csv.");
        }

        if (files.Count != 1)
        {
            var errors = new ValidationErrors();
            errors.Add("file", files.Count == 0 ? "Upload exactly one CSV file; this upload has none." : $"Upload exactly one CSV file; this upload has {files.Count}.");
            throw new ValidationFailedException(errors);
        }

        return new CsvUpload(files[0].Bytes, fields);
    }
}
