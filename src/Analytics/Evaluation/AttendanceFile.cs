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
/// Reads an attendance file into partnership histories, so any export can be backtested with the product's own
/// features, labels and trainer. Two layouts are understood, told apart by their header: the documented
/// <c>partnership,organization,person,meeting_id,meeting_start,present</c>, and the app's own star-schema export
/// <c>fact_attendance.csv</c> (<c>partnership_key,meeting_key,person_key,organization_key,date_key,status,…</c>; the
/// meeting's day stands for its start, regrets stay regrets, rows of people who represented no organisation are left
/// out). The file carries no roster: each person represents their organisation from their first appearance until the
/// next new person of that organisation first appears (a representative change), which uses nothing from the future.
/// </summary>
public static class AttendanceFile
{
    /// <summary>The columns of the documented layout, in any order.</summary>
    public static readonly IReadOnlyList<string> Columns = ["partnership", "organization", "person", "meeting_id", "meeting_start", "present"];

    /// <summary>The columns read from the app's <c>fact_attendance.csv</c>, in any order.</summary>
    public static readonly IReadOnlyList<string> FactColumns = ["partnership_key", "meeting_key", "person_key", "organization_key", "date_key", "status"];

    /// <summary>
    /// Parses the file; throws <see cref="AttendanceFileException"/> for the first bad row. What is read but adjusted
    /// (a meeting given different starts: the earliest is kept; rows without an organisation) is told once each to
    /// <paramref name="warn"/>.
    /// </summary>
    public static IReadOnlyList<PartnershipHistory> Read(TextReader reader, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var text = reader.ReadToEnd();
        var firstLine = text.Split('\n', 2)[0];
        if (firstLine.Trim().Length == 0)
        {
            throw new AttendanceFileException(1, "header", $"the file is empty; the first line must name the columns {string.Join(",", Columns)} (or be an exported fact_attendance.csv)");
        }

        var delimiter = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ";" : ",";
        using var parser = new CsvParser(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter, TrimOptions = TrimOptions.Trim, BadDataFound = null });
        parser.Read();
        var header = (parser.Record ?? []).Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        var fact = header.Contains("meeting_key") && header.Contains("date_key");
        var index = (fact ? FactColumns : Columns).ToDictionary(c => c, header.IndexOf, StringComparer.Ordinal);
        foreach (var (column, i) in index)
        {
            if (i < 0)
            {
                throw new AttendanceFileException(1, column, $"missing column (found: {string.Join(",", header)})");
            }
        }

        var starts = new Dictionary<(string Partnership, string Meeting), DateTimeOffset>();
        var rows = new List<(string Partnership, string Organization, string Person, string Meeting, AttendanceStatus Status)>();
        var (moved, withoutOrganization) = (0, 0);
        while (parser.Read())
        {
            var record = parser.Record ?? [];
            var row = parser.Row;
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            string? Optional(string column)
            {
                var i = index[column];
                var value = i < record.Length ? record[i].Trim() : string.Empty;
                return value.Length > 0 ? value : null;
            }

            string Cell(string column) => Optional(column) ?? throw new AttendanceFileException(row, column, "empty value");

            var partnership = Cell(fact ? "partnership_key" : "partnership");
            var meetingId = Cell(fact ? "meeting_key" : "meeting_id");
            var start = fact ? ParseDateKey(Cell("date_key"), row) : ParseStart(Cell("meeting_start"), row);
            var status = fact ? ParseStatus(Cell("status"), row) : ParsePresent(Cell("present"), row) ? AttendanceStatus.Present : AttendanceStatus.Absent;
            var organization = fact ? Optional("organization_key") : Cell("organization");
            var person = Cell(fact ? "person_key" : "person");
            if (starts.TryGetValue((partnership, meetingId), out var known))
            {
                if (known != start)
                {
                    if (moved++ == 0)
                    {
                        warn?.Invoke($"row {row}: meeting {meetingId} of {partnership} starts at {start:O}, not {known:O} as on an earlier row; the earliest start is used (said once; the count follows)");
                    }

                    starts[(partnership, meetingId)] = start < known ? start : known;
                }
            }
            else
            {
                starts[(partnership, meetingId)] = start;
            }

            if (organization is null)
            {
                withoutOrganization++;
                continue;
            }

            rows.Add((partnership, organization, person, meetingId, status));
        }

        if (moved > 0)
        {
            warn?.Invoke($"{moved} row(s) gave a meeting another start than an earlier row; each meeting starts at its earliest");
        }

        if (withoutOrganization > 0)
        {
            warn?.Invoke($"{withoutOrganization} row(s) without organization_key (people who represented no organisation) were left out");
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
                    .Select(p => (Person: p.Key, First: DateOnly.FromDateTime(p.Min(r => starts[(partnershipId, r.Meeting)]).DateTime)))
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
                Meetings = [.. starts.Where(m => m.Key.Partnership == partnershipId).Select(m => new Meeting { PartnershipId = partnershipId, Id = m.Key.Meeting, Start = m.Value, End = m.Value.AddHours(2) })],
                Attendance = [.. group.GroupBy(r => (r.Meeting, r.Person)).Select(g => new Attendance
                {
                    PartnershipId = partnershipId,
                    MeetingId = g.Key.Meeting,
                    PersonId = g.Key.Person,
                    Status = g.Any(r => r.Status == AttendanceStatus.Present) ? AttendanceStatus.Present : g.Any(r => r.Status == AttendanceStatus.Excused) ? AttendanceStatus.Excused : AttendanceStatus.Absent,
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

    private static DateTimeOffset ParseDateKey(string text, int row) =>
        DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : throw new AttendanceFileException(row, "date_key", $"'{Shorten(text)}' is not a date key (yyyymmdd, e.g. 20260312)");

    private static AttendanceStatus ParseStatus(string text, int row) => text.ToLowerInvariant() switch
    {
        "present" => AttendanceStatus.Present,
        "absent" => AttendanceStatus.Absent,
        "excused" => AttendanceStatus.Excused,
        _ => throw new AttendanceFileException(row, "status", $"'{Shorten(text)}' is not present, absent or excused"),
    };

    private static bool ParsePresent(string text, int row) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "y" or "yes" or "o" or "oui" => true,
        "0" or "false" or "n" or "no" or "non" => false,
        _ => throw new AttendanceFileException(row, "present", $"'{Shorten(text)}' is not 1/0, true/false or Y/N"),
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
