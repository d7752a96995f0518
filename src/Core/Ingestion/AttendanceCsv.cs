using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Engagement.Core.Domain;
using Engagement.Core.Validation;

namespace Engagement.Core.Ingestion;

/// <summary>
/// Reads attendance from a CSV sheet, as spreadsheets in Quebec produce it: UTF-8 (with or without BOM),
/// separated by <c>,</c> or <c>;</c> (or tab), with a header row. Columns, in any order, matched without regard
/// to case, accents, spaces or underscores: <c>partnershipId</c> (optional when given in the query string),
/// <c>meetingId</c>, <c>personId</c>, <c>status</c>, <c>secondsAttended</c> (optional). French headers
/// (<c>rencontre</c>, <c>personne</c>, <c>statut</c>, <c>partenariat</c>, <c>secondes</c>) are accepted.
/// Data row <c>i</c> (0-based) is reported as <c>records[i]</c>, with its line in the file (<see cref="WithLines"/>).
/// </summary>
public static class AttendanceCsv
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["partnershipid"] = "partnershipId", ["partnership"] = "partnershipId", ["partenariat"] = "partnershipId",
        ["meetingid"] = "meetingId", ["meeting"] = "meetingId", ["rencontre"] = "meetingId", ["reunion"] = "meetingId",
        ["personid"] = "personId", ["person"] = "personId", ["personne"] = "personId", ["participant"] = "personId",
        ["status"] = "status", ["statut"] = "status", ["presence"] = "status",
        ["secondsattended"] = "secondsAttended", ["seconds"] = "secondsAttended", ["secondes"] = "secondsAttended",
    };

    private const string NotUtf8 = "The file is not UTF-8. In Excel, save it as \"CSV UTF-8 (comma delimited)\".";

    /// <summary>Parses a CSV stream into a batch; throws <see cref="ValidationFailedException"/> naming rows and columns.</summary>
    public static async Task<AttendanceBatchInput> ParseAsync(Stream stream, string? partnershipId, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            throw Fail("body", NotUtf8);
        }

        // After a UTF-8 BOM, StreamReader decodes with a lenient UTF-8 that turns invalid bytes into U+FFFD instead of throwing.
        if (text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            throw Fail("body", NotUtf8);
        }

        return Parse(text, partnershipId);
    }

    /// <summary>Parses CSV text into a batch.</summary>
    public static AttendanceBatchInput Parse(string text, string? partnershipId)
    {
        ArgumentNullException.ThrowIfNull(text);
        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOfAny(['\r', '\n']) is var n and >= 0 ? n : text.Length)).ToString();
        if (firstLine.Trim().Length == 0)
        {
            throw Fail("body", "The CSV is empty; the first line must name the columns (meetingId, personId, status).");
        }

        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = DetectDelimiter(firstLine),
            HasHeaderRecord = true,
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
            IgnoreBlankLines = true,
        };

        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, config);
        if (!parser.Read())
        {
            throw Fail("body", "The CSV has no header row.");
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new ValidationErrors();
        var header = parser.Record ?? [];
        for (var i = 0; i < header.Length; i++)
        {
            var key = new string([.. WireNames.Normalize(header[i]).Where(char.IsLetterOrDigit)]);
            if (Headers.TryGetValue(key, out var column))
            {
                if (!columns.TryAdd(column, i))
                {
                    errors.Add($"columns.{column}", $"The column '{column}' appears twice in the header.");
                }
            }
        }

        foreach (var required in new[] { "meetingId", "personId", "status" })
        {
            if (!columns.ContainsKey(required))
            {
                errors.Add($"columns.{required}", $"The header has no '{required}' column (found: {string.Join(", ", header.Select(Check.Shorten))}).");
            }
        }

        if (partnershipId is null && !columns.ContainsKey("partnershipId"))
        {
            errors.Add("partnershipId", "Give the partnership as a 'partnershipId' column or as ?partnershipId= in the query string.");
        }

        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors, "The CSV header is not usable.");
        }

        var records = new List<AttendanceInput?>();
        var lines = new List<long>();
        var rowPartnerships = new HashSet<string>(StringComparer.Ordinal);
        while (parser.Read())
        {
            var row = parser.Record ?? [];
            if (row.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            string? Cell(string column) =>
                columns.TryGetValue(column, out var index) && index < row.Length && !string.IsNullOrWhiteSpace(row[index]) ? row[index].Trim() : null;

            var p = $"records[{records.Count}]";
            long? seconds = null;
            if (Cell("secondsAttended") is { } secondsText)
            {
                if (long.TryParse(secondsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
                {
                    seconds = s;
                }
                else
                {
                    errors.Add($"{p}.secondsAttended", $"Line {parser.RawRow}: '{p}.secondsAttended' is not a whole number.");
                }
            }

            var rowPartnership = Cell("partnershipId");
            if (rowPartnership is not null)
            {
                rowPartnerships.Add(rowPartnership);
            }

            lines.Add(parser.RawRow);
            records.Add(new AttendanceInput
            {
                PartnershipId = rowPartnership ?? partnershipId,
                MeetingId = Cell("meetingId"),
                PersonId = Cell("personId"),
                Status = Cell("status"),
                SecondsAttended = seconds,
            });

            if (records.Count > IngestionService.MaxBatchSize)
            {
                throw new BatchTooLargeException("records", records.Count, IngestionService.MaxBatchSize);
            }
        }

        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var batchPartnership = partnershipId ?? (rowPartnerships.Count == 1 ? rowPartnerships.First() : null);
        if (batchPartnership is null && rowPartnerships.Count > 1)
        {
            throw Fail("partnershipId", "One CSV holds one partnership; split the file by partnership.");
        }

        return new AttendanceBatchInput { PartnershipId = batchPartnership, Records = records, SourceLines = lines };
    }

    /// <summary>
    /// The same problems, each about <c>records[i]</c> prefixed with the CSV line of that record ("Line 3: …"), so that
    /// the spreadsheet's own line numbers lead to it.
    /// </summary>
    public static ValidationFailedException WithLines(ValidationFailedException failure, IReadOnlyList<long> lines)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(lines);
        var named = new ValidationErrors();
        foreach (var (field, message) in failure.Errors.Entries)
        {
            var line = RecordIndex(field) is { } i && i < lines.Count && !message.StartsWith("Line ", StringComparison.Ordinal) ? lines[i] : (long?)null;
            named.Add(field, line is { } n ? $"Line {n.ToString(CultureInfo.InvariantCulture)}: {message}" : message);
        }

        return new ValidationFailedException(named, failure.Message);
    }

    private static int? RecordIndex(string field) =>
        field.StartsWith("records[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is > 8 and var end
        && int.TryParse(field.AsSpan(8, end - 8), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    private static string DetectDelimiter(string headerLine)
    {
        var counts = new[] { ';', ',', '\t' }.Select(d => (Delimiter: d, Count: headerLine.Count(c => c == d))).OrderByDescending(x => x.Count).First();
        return counts.Count == 0 ? "," : counts.Delimiter.ToString();
    }

    private static ValidationFailedException Fail(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return new ValidationFailedException(errors);
    }
}
