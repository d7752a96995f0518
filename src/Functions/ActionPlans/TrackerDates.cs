using System.Globalization;
using System.Text.RegularExpressions;
using Engagement.Graph.Xlsx;

namespace Engagement.Functions.ActionPlans;

/// <summary>
/// Reads the start and due cells of a tracker as people fill them: an Excel date, a date typed as text (ISO, or
/// day-first as Québec writes it: 31/03/2026), a month ("mars 2026", "March 2026", "03/2026"), a quarter ("T2 2026") or a
/// year ("2026"). A month, a quarter or a year is its first day for a start and its last day for a due day. Words that
/// say there is no date ("en continu", "à déterminer", "ongoing") leave it empty.
/// </summary>
internal static partial class TrackerDates
{
    // Serials of the years 1954-2119 when the cell is not formatted as a date: a date whose format was lost.
    private const double FirstPlainSerial = 20_000, LastPlainSerial = 80_000;

    private static readonly HashSet<string> NoDate = new(StringComparer.Ordinal)
    {
        "-", "--", "—", "–", "en continu", "continu", "continue", "en cours", "ongoing", "continuous", "a determiner", "a venir", "ad", "tbd", "to be determined",
        "n a", "na", "nd", "n d", "s o", "so", "sans objet", "aucune", "none", "?",
    };

    private static readonly Dictionary<string, int> Months = new(StringComparer.Ordinal)
    {
        ["janvier"] = 1, ["janv"] = 1, ["jan"] = 1, ["january"] = 1,
        ["fevrier"] = 2, ["fevr"] = 2, ["fev"] = 2, ["feb"] = 2, ["february"] = 2,
        ["mars"] = 3, ["mar"] = 3, ["march"] = 3,
        ["avril"] = 4, ["avr"] = 4, ["apr"] = 4, ["april"] = 4,
        ["mai"] = 5, ["may"] = 5,
        ["juin"] = 6, ["jun"] = 6, ["june"] = 6,
        ["juillet"] = 7, ["juil"] = 7, ["jul"] = 7, ["july"] = 7,
        ["aout"] = 8, ["aug"] = 8, ["august"] = 8,
        ["septembre"] = 9, ["sept"] = 9, ["sep"] = 9, ["september"] = 9,
        ["octobre"] = 10, ["oct"] = 10, ["october"] = 10,
        ["novembre"] = 11, ["nov"] = 11, ["november"] = 11,
        ["decembre"] = 12, ["dec"] = 12, ["december"] = 12,
    };

    /// <summary>
    /// The day a cell says, or null when it says none; false when it cannot be read. <paramref name="end"/> picks the
    /// last day of a month, quarter or year rather than the first.
    /// </summary>
    public static bool TryRead(XlsxCell cell, bool end, out DateOnly? day)
    {
        day = null;
        if (cell.IsBlank)
        {
            return true;
        }

        if (cell.TryGetNumber(out var number))
        {
            if (!cell.IsDate && number == Math.Floor(number) && number is >= 1900 and <= 2200)
            {
                day = Span(end, new DateOnly((int)number, 1, 1), 12);
                return true;
            }

            if ((cell.IsDate || number is >= FirstPlainSerial and <= LastPlainSerial) && XlsxCell.TryDayOfSerial(number, out var serialDay))
            {
                day = serialDay;
                return true;
            }

            return false;
        }

        return cell.Kind == XlsxCellKind.Text && TryReadText(cell.Value, end, out day);
    }

    /// <summary>A date written as text (see the class's summary).</summary>
    public static bool TryReadText(string text, bool end, out DateOnly? day)
    {
        day = null;
        var t = TrackerColumns.Normalize(text.Replace("1er", "1", StringComparison.OrdinalIgnoreCase));
        var raw = text.Trim().ToLowerInvariant();
        if (t.Length == 0 && raw.Length > 0 ? NoDate.Contains(raw) : NoDate.Contains(t))
        {
            return true;
        }

        if (IsoDate().Match(raw) is { Success: true } iso)
        {
            return TryDay(Int(iso, 1), Int(iso, 2), Int(iso, 3), out day);
        }

        if (DayFirst().Match(raw) is { Success: true } dmy)
        {
            var year = Int(dmy, 3);
            return TryDay(year < 100 ? 2000 + year : year, Int(dmy, 2), Int(dmy, 1), out day);
        }

        if (MonthYear().Match(raw) is { Success: true } my)
        {
            return TryMonth(Int(my, 2), Int(my, 1), end, out day);
        }

        if (YearMonth().Match(raw) is { Success: true } ym)
        {
            return TryMonth(Int(ym, 1), Int(ym, 2), end, out day);
        }

        if (Quarter().Match(t) is { Success: true } q)
        {
            var (quarter, year) = q.Groups[1].Success ? (Int(q, 1), Int(q, 2)) : (Int(q, 4), Int(q, 3));
            return IsPlausible(year) && Assign(Span(end, new DateOnly(year, ((quarter - 1) * 3) + 1, 1), 3), out day);
        }

        return TryWords(t, end, out day);
    }

    // "31 mars 2026", "le 31 mars 2026", "mars 2026", "March 31 2026", "31 March 2026", "2026".
    private static bool TryWords(string t, bool end, out DateOnly? day)
    {
        day = null;
        int? month = null, dayOfMonth = null, year = null;
        foreach (var token in t.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token is "le" or "the" or "of" or "de" or "d" or "en" or "in")
            {
                continue;
            }

            if (month is null && Months.TryGetValue(token, out var m))
            {
                month = m;
            }
            else if (year is null && token.Length == 4 && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var y))
            {
                year = y;
            }
            else if (dayOfMonth is null && token.Length <= 2 && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                dayOfMonth = d;
            }
            else
            {
                return false;
            }
        }

        return (month, dayOfMonth, year) switch
        {
            (null, null, { } y) => IsPlausible(y) && Assign(Span(end, new DateOnly(y, 1, 1), 12), out day),
            ({ } m, null, { } y) => TryMonth(y, m, end, out day),
            ({ } m, { } d, { } y) => TryDay(y, m, d, out day),
            _ => false,
        };
    }

    private static bool Assign(DateOnly value, out DateOnly? day)
    {
        day = value;
        return true;
    }

    private static bool TryDay(int year, int month, int dayOfMonth, out DateOnly? day)
    {
        day = null;
        if (!IsPlausible(year) || month is < 1 or > 12 || dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        day = new DateOnly(year, month, dayOfMonth);
        return true;
    }

    private static bool TryMonth(int year, int month, bool end, out DateOnly? day)
    {
        day = null;
        if (!IsPlausible(year) || month is < 1 or > 12)
        {
            return false;
        }

        day = Span(end, new DateOnly(year, month, 1), 1);
        return true;
    }

    private static DateOnly Span(bool end, DateOnly first, int months) => end ? first.AddMonths(months).AddDays(-1) : first;

    private static bool IsPlausible(int year) => year is >= 1900 and <= 2200;

    private static int Int(Match match, int group) => int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})$")]
    private static partial Regex DayFirst();

    [GeneratedRegex(@"^(\d{1,2})\s*[-/.]\s*(\d{4})$")]
    private static partial Regex MonthYear();

    [GeneratedRegex(@"^(\d{4})\s*[-/.]\s*(\d{1,2})$")]
    private static partial Regex YearMonth();

    [GeneratedRegex(@"^(?:(?:t|q)\s?([1-4])\s(\d{4})|(\d{4})\s(?:t|q)\s?([1-4]))$")]
    private static partial Regex Quarter();
}
