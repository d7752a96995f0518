using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Engagement.Core.Domain;

namespace Engagement.Analytics.Evaluation;

/// <summary>A problem in an attendance file, naming the row (1 = header) and the column.</summary>
public sealed class AttendanceFileException(int row, string column, string message)
    : FormatException($"row {row}, column {column}: {message}")
{
    /// <summary>Row number, the header being row 1.</summary>
    public int Row { get; } = row;

    /// <summary>Column name.</summary>
    public string Column { get; } = column;
}

/// <summary>
/// Reads a bare attendance file — <c>partnership,organization,person,meeting_id,meeting_start,present</c> — into
/// partnership histories, so any export can be backtested with the product's own features, labels and trainer. The
/// file carries no roster: each person represents their organisation from their first appearance until the next new
/// person of that organisation first appears (a representative change), which uses nothing from the future.
/// </summary>
public static class AttendanceFile
{
    /// <summary>The columns, in any order.</summary>
    public static readonly IReadOnlyList<string> Columns = ["partnership", "organization", "person", "meeting_id", "meeting_start", "present"];

    /// <summary>Parses the file; throws <see cref="AttendanceFileException"/> for the first bad row.</summary>
    public static IReadOnlyList<PartnershipHistory> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var text = reader.ReadToEnd();
        var firstLine = text.Split('\n', 2)[0];
        if (firstLine.Trim().Length == 0)
        {
            throw new AttendanceFileException(1, "header", $"the file is empty; the first line must name the columns {string.Join(",", Columns)}");
        }

        var delimiter = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ";" : ",";
        using var parser = new CsvParser(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter, TrimOptions = TrimOptions.Trim, BadDataFound = null });
        parser.Read();
        var header = (parser.Record ?? []).Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        var index = Columns.ToDictionary(c => c, header.IndexOf, StringComparer.Ordinal);
        foreach (var (column, i) in index)
        {
            if (i < 0)
            {
                throw new AttendanceFileException(1, column, $"missing column (found: {string.Join(",", header)})");
            }
        }

        var meetings = new Dictionary<(string, string), Meeting>();
        var rows = new List<(string Partnership, string Organization, string Person, string Meeting, bool Present, DateTimeOffset Start)>();
        while (parser.Read())
        {
            var record = parser.Record ?? [];
            var row = parser.Row;
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            string Cell(string column)
            {
                var i = index[column];
                var value = i < record.Length ? record[i].Trim() : string.Empty;
                return value.Length > 0 ? value : throw new AttendanceFileException(row, column, "empty value");
            }

            var partnership = Cell("partnership");
            var meetingId = Cell("meeting_id");
            var start = ParseStart(Cell("meeting_start"), row);
            var present = ParsePresent(Cell("present"), row);
            if (meetings.TryGetValue((partnership, meetingId), out var known))
            {
                if (known.Start != start)
                {
                    throw new AttendanceFileException(row, "meeting_start", $"meeting {meetingId} starts at {known.Start:O} on an earlier row");
                }
            }
            else
            {
                meetings[(partnership, meetingId)] = new Meeting { PartnershipId = partnership, Id = meetingId, Start = start, End = start.AddHours(2) };
            }

            rows.Add((partnership, Cell("organization"), Cell("person"), meetingId, present, start));
        }

        if (rows.Count == 0)
        {
            throw new AttendanceFileException(2, "partnership", "the file has a header but no rows");
        }

        return [.. rows.GroupBy(r => r.Partnership, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(group =>
        {
            var partnershipId = group.Key;
            var representations = new List<Representation>();
            foreach (var organization in group.GroupBy(r => r.Organization, StringComparer.Ordinal))
            {
                var firsts = organization.GroupBy(r => r.Person, StringComparer.Ordinal)
                    .Select(p => (Person: p.Key, First: DateOnly.FromDateTime(p.Min(r => r.Start).DateTime)))
                    .OrderBy(p => p.First).ThenBy(p => p.Person, StringComparer.Ordinal).ToList();
                for (var i = 0; i < firsts.Count; i++)
                {
                    DateOnly? to = i + 1 < firsts.Count && firsts[i + 1].First > firsts[i].First ? firsts[i + 1].First.AddDays(-1) : null;
                    representations.Add(new Representation
                    {
                        PartnershipId = partnershipId,
                        Id = $"{organization.Key}.{firsts[i].Person}",
                        OrganizationId = organization.Key,
                        PersonId = firsts[i].Person,
                        From = firsts[i].First,
                        To = to,
                    });
                }
            }

            return new PartnershipHistory
            {
                Partnership = new Partnership { Id = partnershipId, Name = partnershipId },
                Organizations = [.. group.Select(r => r.Organization).Distinct(StringComparer.Ordinal).Select(o => new Organization { PartnershipId = partnershipId, Id = o, Name = o })],
                Representations = representations,
                Meetings = [.. meetings.Values.Where(m => m.PartnershipId == partnershipId)],
                Attendance = [.. group.GroupBy(r => (r.Meeting, r.Person)).Select(g => new Attendance
                {
                    PartnershipId = partnershipId,
                    MeetingId = g.Key.Meeting,
                    PersonId = g.Key.Person,
                    Status = g.Any(r => r.Present) ? AttendanceStatus.Present : AttendanceStatus.Absent,
                })],
            };
        })];
    }

    private static DateTimeOffset ParseStart(string text, int row)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            return start;
        }

        throw new AttendanceFileException(row, "meeting_start", $"'{Shorten(text)}' is not a date (ISO 8601, e.g. 2026-03-12T19:00:00-04:00)");
    }

    private static bool ParsePresent(string text, int row) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "y" or "yes" or "o" or "oui" => true,
        "0" or "false" or "n" or "no" or "non" => false,
        _ => throw new AttendanceFileException(row, "present", $"'{Shorten(text)}' is not 1/0, true/false or Y/N"),
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
