using System.Text;
using Engagement.Core.Domain;
using Engagement.Core.Validation;
using Engagement.Graph.Xlsx;

namespace Engagement.Functions.ActionPlans;

/// <summary>A row of a tracker, its cells read and checked; not yet resolved against the partnership.</summary>
internal sealed record TrackerRow
{
    public required int Row { get; init; }
    public required string Objective { get; init; }
    /// <summary>The row whose cell gave the objective (this one, or the first of its merged range or group).</summary>
    public required int ObjectiveRow { get; init; }
    /// <summary>What is to be done; null on a row that only names an objective.</summary>
    public string? Action { get; init; }
    public string? Number { get; init; }
    public string? Lead { get; init; }
    public string? Partners { get; init; }
    public DateOnly? StartOn { get; init; }
    public DateOnly? DueOn { get; init; }
    public string? Deliverables { get; init; }
    public string? Resources { get; init; }
    public ActionStatus? Status { get; init; }
    public string? Comments { get; init; }
    public string? Obstacles { get; init; }
    public string? HelpNeeded { get; init; }
}

/// <summary>
/// Reads the rows below a tracker's header: blank rows skipped, an objective carried down the rows its cell covers
/// (merged, or left empty below it), every cell checked and each problem reported with its row and column.
/// </summary>
internal sealed class TrackerSheet(XlsxGrid grid, TrackerHeader header, TrackerProblems problems)
{
    /// <summary>Longest multi-line text (deliverables, resources, comments).</summary>
    public const int MaxLongText = 4_000;

    private static readonly TrackerColumn[] ActionCells =
        [TrackerColumn.Lead, TrackerColumn.Partners, TrackerColumn.Start, TrackerColumn.Due, TrackerColumn.Deliverables, TrackerColumn.Resources, TrackerColumn.Status];

    /// <summary>The data rows (below the header) that hold a value.</summary>
    public IEnumerable<int> DataRows => grid.RowNumbers.Where(r => r > header.LastRow);

    public List<TrackerRow> Read()
    {
        var rows = new List<TrackerRow>();
        var objectiveColumn = header.Columns[TrackerColumn.Objective].Index;
        (string Text, int Row)? objective = null;
        foreach (var row in DataRows)
        {
            if (header.Columns.Values.All(c => grid[row, c.Index] is not { IsBlank: false }))
            {
                continue; // values only outside the tracker's columns
            }

            // A merged cell, a repeated value or an empty cell continues the objective above: it keeps its first row.
            if (!(objective is not null && grid.IsMergeContinuation(row, objectiveColumn)) && Line(row, TrackerColumn.Objective, Check.MaxTextLength) is { } text)
            {
                objective = objective is { } above && above.Text == text ? above : (text, row);
            }

            if (Line(row, TrackerColumn.Action, Check.MaxTextLength) is { } action)
            {
                rows.Add(ReadAction(row, action, objective));
            }
            else if (ActionCells.Any(c => HasOwnValue(row, c)))
            {
                problems.At(row, header.Columns[TrackerColumn.Action], "Error.ActionMissing");
            }
            else if (objective is { } named && named.Row == row)
            {
                // An objective's own row, perhaps with its number ("1" above actions 1.1, 1.2).
                rows.Add(new TrackerRow { Row = row, Objective = named.Text, ObjectiveRow = row, Number = Line(row, TrackerColumn.Number, Check.MaxIdLength) });
            }
        }

        return rows;
    }

    private TrackerRow ReadAction(int row, string action, (string Text, int Row)? objective)
    {
        if (objective is null)
        {
            problems.At(row, header.Columns[TrackerColumn.Objective], "Error.ObjectiveMissing");
        }

        var lead = Line(row, TrackerColumn.Lead, Check.MaxTextLength);
        if (lead is null)
        {
            problems.At(row, header.Columns[TrackerColumn.Lead], "Error.LeadMissing");
        }

        var start = Date(row, TrackerColumn.Start, end: false);
        var due = Date(row, TrackerColumn.Due, end: true);
        if (start is { } s && due is { } d && d < s)
        {
            problems.At(row, header.Columns[TrackerColumn.Due], "Error.DueBeforeStart", Day(d), Day(s));
        }

        return new TrackerRow
        {
            Row = row,
            Objective = objective?.Text ?? string.Empty,
            ObjectiveRow = objective?.Row ?? row,
            Action = action,
            Number = Line(row, TrackerColumn.Number, Check.MaxIdLength),
            Lead = lead,
            Partners = Text(row, TrackerColumn.Partners, MaxLongText),
            StartOn = start,
            DueOn = due,
            Deliverables = Text(row, TrackerColumn.Deliverables, MaxLongText),
            Resources = Text(row, TrackerColumn.Resources, MaxLongText),
            Status = Status(row),
            Comments = Text(row, TrackerColumn.Comments, MaxLongText),
            Obstacles = Text(row, TrackerColumn.Obstacles, MaxLongText),
            HelpNeeded = Text(row, TrackerColumn.HelpNeeded, MaxLongText),
        };
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    // A value of the row's own, not one a merged range carries down from above.
    private bool HasOwnValue(int row, TrackerColumn role) =>
        header.Columns.TryGetValue(role, out var column) && grid[row, column.Index] is { IsBlank: false } && !grid.IsMergeContinuation(row, column.Index);

    private XlsxCell? Cell(int row, TrackerColumn role, out MappedColumn? column)
    {
        if (!header.Columns.TryGetValue(role, out column) || grid[row, column.Index] is not { IsBlank: false } cell)
        {
            return null;
        }

        if (cell.Kind == XlsxCellKind.Error)
        {
            problems.At(row, column, "Error.FormulaError", TrackerTexts.Quote(cell.Value));
            return null;
        }

        return cell;
    }

    /// <summary>A one-line text: line breaks and runs of spaces become one space.</summary>
    private string? Line(int row, TrackerColumn role, int maxLength)
    {
        if (Cell(row, role, out var column) is not { } cell)
        {
            return null;
        }

        var text = string.Join(' ', cell.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => new string([.. w.Where(c => !char.IsControl(c))])).Where(w => w.Length > 0));
        return Bounded(row, column!, text, maxLength);
    }

    /// <summary>A text that may hold several lines (Alt+Enter in Excel): line breaks kept, other control characters dropped.</summary>
    private string? Text(int row, TrackerColumn role, int maxLength)
    {
        if (Cell(row, role, out var column) is not { } cell)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var line in cell.Text.ReplaceLineEndings("\n").Split('\n'))
        {
            var clean = new string([.. line.Select(c => c == '\t' ? ' ' : c).Where(c => !char.IsControl(c))]).Trim();
            if (clean.Length > 0)
            {
                builder.Append(builder.Length > 0 ? "\n" : string.Empty).Append(clean);
            }
        }

        return Bounded(row, column!, builder.ToString(), maxLength);
    }

    private string? Bounded(int row, MappedColumn column, string text, int maxLength)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            problems.At(row, column, "Error.TextTooLong", text.Length, maxLength);
        }

        return text;
    }

    private DateOnly? Date(int row, TrackerColumn role, bool end)
    {
        if (Cell(row, role, out var column) is not { } cell)
        {
            return null;
        }

        if (TrackerDates.TryRead(cell, end, out var day))
        {
            return day;
        }

        problems.At(row, column!, "Error.DateUnreadable", TrackerTexts.Quote(cell.Text));
        return null;
    }

    private ActionStatus? Status(int row)
    {
        if (Cell(row, TrackerColumn.Status, out var column) is not { } cell)
        {
            return null;
        }

        if (TrackerStatuses.TryParse(cell.Text, out var status))
        {
            return status;
        }

        problems.At(row, column!, "Error.StatusUnknown", TrackerTexts.Quote(cell.Text), TrackerTexts.Statuses(problems.Language));
        return null;
    }
}

/// <summary>Statuses as trackers write them: the wire names and their aliases in both languages, and a few more.</summary>
internal static class TrackerStatuses
{
    private static readonly Dictionary<string, ActionStatus> More = new(StringComparer.Ordinal)
    {
        ["non-debute"] = ActionStatus.NotStarted,
        ["non-debutee"] = ActionStatus.NotStarted,
        ["pas-debute"] = ActionStatus.NotStarted,
        ["pas-debutee"] = ActionStatus.NotStarted,
        ["a-debuter"] = ActionStatus.NotStarted,
        ["a-realiser"] = ActionStatus.NotStarted,
        ["en-realisation"] = ActionStatus.OnTrack,
        ["en-progression"] = ActionStatus.OnTrack,
        ["realise-e"] = ActionStatus.Done,
        ["complete-e"] = ActionStatus.Done,
        ["termine-e"] = ActionStatus.Done,
        ["acheve"] = ActionStatus.Done,
        ["achevee"] = ActionStatus.Done,
    };

    public static bool TryParse(string text, out ActionStatus status)
    {
        if (WireNames.TryParse(text, out status))
        {
            return true;
        }

        // "Terminé(e)", "En retard !", "Réalisé." : the words without their punctuation.
        var words = TrackerColumns.Normalize(text).Replace(' ', '-');
        return WireNames.TryParse(words, out status) || More.TryGetValue(words, out status);
    }
}
