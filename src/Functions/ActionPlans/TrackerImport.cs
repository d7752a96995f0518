using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Graph.Xlsx;

namespace Engagement.Functions.ActionPlans;

/// <summary>What an import did, or why it did nothing.</summary>
public sealed record TrackerImportResult
{
    /// <summary>Every problem found; when there is one, nothing was written.</summary>
    public required IReadOnlyList<TrackerProblem> Problems { get; init; }

    /// <summary>What was written (zeros when nothing was).</summary>
    public PlanWriteCounts Counts { get; init; }

    /// <summary>The sheet read, when one was found.</summary>
    public string? Sheet { get; init; }

    /// <summary>The header's last row, when one was found.</summary>
    public int? HeaderRow { get; init; }

    /// <summary>The actions read.</summary>
    public int Actions { get; init; }

    /// <summary>The headers of the columns the import did not read.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    /// <summary>The language the problems are said in.</summary>
    public PartnershipLanguage Language { get; init; }

    public bool Succeeded => Problems.Count == 0;

    /// <summary>Most problems an answer lists: a file wrong on every row says so without a megabyte of sentences.</summary>
    public const int MaxListed = 200;

    /// <summary>The problems as the validation failure the API answers 400 with: each under its cell (<c>F14</c>), row or <c>file</c>.</summary>
    public ValidationFailedException ToException()
    {
        var errors = new ValidationErrors();
        foreach (var problem in Problems.Take(MaxListed))
        {
            errors.Add(problem.Field, problem.Message);
        }

        if (Problems.Count > MaxListed)
        {
            errors.Add("file", TrackerTexts.Say(Language, "Error.More", Problems.Count - MaxListed));
        }

        return new ValidationFailedException(errors, TrackerTexts.Count(Language, "Error.Title", Problems.Count));
    }
}

/// <summary>
/// Imports the Excel tracker a coordinator already keeps (.xlsx, French or English headers) into the partnership's
/// action plan: every row checked first, every problem reported with its row and column in the partnership's
/// language, and the plan written in one go only when there is none. Used by the API and by the dashboard.
/// </summary>
internal sealed partial class TrackerImport(IngestionService ingestion, IRosterStore rosterStore, IActionPlanStore planStore, TimeProvider time, ILogger<TrackerImport> logger)
{
    /// <summary>Largest file accepted.</summary>
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>Most rows below the header.</summary>
    public const int MaxRows = 2_000;

    private static readonly XlsxLimits Limits = new()
    {
        MaxRows = MaxRows + TrackerColumns.HeaderSearchRows,
        MaxColumns = 200,
        MaxCells = 1_000_000,
        MaxTextCharacters = 10_000_000,
    };

    /// <summary>
    /// Imports a tracker's bytes into <paramref name="partnershipId"/>'s plan; problems are said in
    /// <paramref name="language"/>, by default the partnership's.
    /// </summary>
    /// <exception cref="NotFoundException">The partnership does not exist.</exception>
    public async Task<TrackerImportResult> ImportAsync(string partnershipId, ReadOnlyMemory<byte> xlsx, PartnershipLanguage? language = null, CancellationToken cancellationToken = default)
    {
        var partnership = await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var problems = new TrackerProblems(language ?? partnership.Language);
        var read = Read(xlsx, problems);
        if (read is not { } sheet)
        {
            return Failed(problems);
        }

        var rows = new TrackerSheet(sheet.Grid, sheet.Header, problems).Read();
        var summary = new TrackerImportResult
        {
            Problems = [],
            Sheet = sheet.Grid.SheetName,
            HeaderRow = sheet.Header.LastRow,
            Actions = rows.Count(r => r.Action is not null),
            IgnoredColumns = sheet.Header.Ignored,
            Language = problems.Language,
        };
        if (summary.Actions == 0 && !problems.Any)
        {
            problems.File("Error.NoActions", sheet.Header.LastRow, sheet.Grid.SheetName);
        }

        var roster = await rosterStore.GetRosterAsync(partnershipId, cancellationToken);
        var plan = await planStore.GetPlanAsync(partnershipId, cancellationToken);
        var now = time.GetUtcNow();
        var batch = TrackerPlan.Build(partnershipId, rows, sheet.Header, roster.Organizations, plan, now, problems);
        if (problems.Any)
        {
            return summary with { Problems = problems.List };
        }

        var counts = await planStore.UpsertPlanAsync(partnershipId, batch.Objectives, batch.Actions, batch.Updates, now, cancellationToken);
        LogImported(logger, partnershipId, batch.Actions.Count, counts.Actions.Created, counts.Actions.Updated, batch.Updates.Count);
        return summary with { Counts = counts };
    }

    private static TrackerImportResult Failed(TrackerProblems problems) => new() { Problems = problems.List, Language = problems.Language };

    // The first visible sheet with a tracker's header; the problem of the first sheet when none has one.
    private static (XlsxGrid Grid, TrackerHeader Header)? Read(ReadOnlyMemory<byte> xlsx, TrackerProblems problems)
    {
        if (xlsx.Length == 0)
        {
            problems.File("Error.Empty");
            return null;
        }

        if (xlsx.Length > MaxBytes)
        {
            problems.File("Error.TooLarge", MaxBytes / (1024 * 1024));
            return null;
        }

        // An OLE compound file: Excel 97-2003, or an .xlsx encrypted with a password.
        if (xlsx.Span.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            problems.File("Error.OldExcel");
            return null;
        }

        try
        {
            using var workbook = XlsxWorkbook.Open(new MemoryStream(xlsx.ToArray(), writable: false));
            (XlsxGrid Grid, TrackerHeader Header)? incomplete = null;
            foreach (var info in workbook.Sheets.Where(s => !s.Hidden))
            {
                XlsxGrid grid;
                try
                {
                    grid = workbook.Read(info, Limits);
                }
                catch (XlsxException ex) when (ex.Problem == XlsxProblem.TooManyRows)
                {
                    problems.File("Error.TooManyRows", info.Name, MaxRows);
                    return null;
                }

                if (TrackerColumns.Find(grid) is not { } header)
                {
                    continue;
                }

                if (TrackerColumns.Required.All(header.Columns.ContainsKey))
                {
                    return TooManyRows(grid, header, problems) ? null : (grid, header);
                }

                incomplete ??= (grid, header);
            }

            if (incomplete is { } found)
            {
                var missing = TrackerColumns.Required.Where(c => !found.Header.Columns.ContainsKey(c)).Select(c => "« " + TrackerTexts.Header(problems.Language, c) + " »");
                var read = found.Header.Columns.Values.OrderBy(c => c.Index).Select(c => c.Header).Concat(found.Header.Ignored).Select(h => "« " + TrackerTexts.Quote(h) + " »");
                problems.File("Error.MissingColumns", found.Header.LastRow, found.Grid.SheetName, string.Join(", ", missing), string.Join(", ", read));
            }
            else if (workbook.Sheets.Count == 0)
            {
                problems.File("Error.NoSheet");
            }
            else
            {
                var l = problems.Language;
                problems.File("Error.NoHeader", TrackerColumns.HeaderSearchRows, TrackerTexts.Header(l, TrackerColumn.Objective), TrackerTexts.Header(l, TrackerColumn.Action), TrackerTexts.Header(l, TrackerColumn.Lead));
            }

            return null;
        }
        catch (XlsxException ex)
        {
            problems.File(ex.Problem == XlsxProblem.TooLarge ? "Error.TooManyCells" : "Error.NotAWorkbook");
            return null;
        }
    }

    private static bool TooManyRows(XlsxGrid grid, TrackerHeader header, TrackerProblems problems)
    {
        if (grid.RowNumbers.Count(r => r > header.LastRow) <= MaxRows)
        {
            return false;
        }

        problems.File("Error.TooManyRows", grid.SheetName, MaxRows);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported a tracker into {PartnershipId}: {Actions} actions ({Created} new, {Updated} changed), {Updates} status updates")]
    private static partial void LogImported(ILogger logger, string partnershipId, int actions, int created, int updated, int updates);
}
