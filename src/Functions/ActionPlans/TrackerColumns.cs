using System.Globalization;
using System.Text;
using Engagement.Graph.Xlsx;

namespace Engagement.Functions.ActionPlans;

/// <summary>What a column of a tracker holds, in the template's order.</summary>
internal enum TrackerColumn
{
    Number,
    Objective,
    Action,
    Lead,
    Partners,
    Start,
    Due,
    Deliverables,
    Resources,
    Status,
    Comments,
    Obstacles,
    HelpNeeded,
}

/// <summary>A column of the sheet read as one of <see cref="TrackerColumn"/>: where it is and what its header says.</summary>
internal sealed record MappedColumn(TrackerColumn Role, int Index, string Header);

/// <summary>Where a tracker's header is, and which column holds what.</summary>
/// <param name="FirstRow">The header's first row.</param>
/// <param name="LastRow">Its last row (the same, or the next when a group header spans sub-headers).</param>
/// <param name="Columns">The columns recognised, by role.</param>
/// <param name="Ignored">The headers of the other columns, left out.</param>
internal sealed record TrackerHeader(int FirstRow, int LastRow, IReadOnlyDictionary<TrackerColumn, MappedColumn> Columns, IReadOnlyList<string> Ignored);

/// <summary>
/// Finds a tracker's header among its first rows: the row, or pair of rows, whose cells name the most known columns,
/// in French or English, whatever the case, accents and punctuation. A pair is a header on two rows — a group cell
/// ("Échéancier") merged over its sub-headers ("Début", "Fin") — whose second row holds nothing but sub-headers and the
/// first row's cells continued by their merge.
/// </summary>
internal static class TrackerColumns
{
    /// <summary>The header is looked for in the sheet's first rows only.</summary>
    public const int HeaderSearchRows = 20;

    /// <summary>The columns without which a row is not an action.</summary>
    public static readonly TrackerColumn[] Required = [TrackerColumn.Objective, TrackerColumn.Action, TrackerColumn.Lead];

    // Synonyms in order of preference (a tracker with both "Objectif" and "Axe" reads its objectives from the first),
    // written as Normalize writes them.
    private static readonly Dictionary<TrackerColumn, string[]> Synonyms = new()
    {
        [TrackerColumn.Number] = ["no", "n", "#", "numero", "num", "number", "no action", "numero de l action", "action no", "id", "ref", "reference"],
        [TrackerColumn.Objective] = ["objectif", "objectifs", "objective", "objectives", "objectif specifique", "objectifs specifiques", "objectif general", "goal", "goals", "orientation", "orientations", "axe", "axes", "axe d intervention"],
        [TrackerColumn.Action] = ["action", "actions", "moyen", "moyens", "action a realiser", "actions a realiser", "actions prevues", "moyens d action", "description de l action", "activite", "activites", "activity", "activities", "tache", "taches", "task", "tasks"],
        [TrackerColumn.Lead] = ["porteur", "porteurs", "porteuse", "porteur de l action", "porteur du dossier", "organisme porteur", "responsable", "responsables", "organisme responsable", "organismes responsables", "maitre d oeuvre", "lead", "lead organization", "lead organisation", "responsible", "owner", "qui", "who"],
        [TrackerColumn.Partners] = ["partenaires", "partenaire", "organismes partenaires", "partenaires impliques", "partenaires associes", "collaborateurs", "collaborateur", "collaborations", "acteurs impliques", "avec qui", "partners", "partner", "partner organizations", "partner organisations", "collaborators", "with"],
        [TrackerColumn.Start] = ["debut", "date de debut", "date debut", "debut prevu", "start", "start date", "starts"],
        [TrackerColumn.Due] = ["echeance", "date d echeance", "fin", "date de fin", "date fin", "fin prevue", "due", "due date", "due on", "end", "end date", "deadline", "date limite", "quand", "when", "echeancier"],
        [TrackerColumn.Deliverables] = ["livrables", "livrable", "resultats attendus", "resultat attendu", "resultats vises", "deliverables", "deliverable", "expected results", "outputs"],
        [TrackerColumn.Resources] = ["ressources", "ressource", "ressources requises", "ressources necessaires", "resources", "resource", "resources needed"],
        [TrackerColumn.Status] = ["statut", "statuts", "etat", "etat d avancement", "avancement", "etat de realisation", "status", "state", "progress"],
        [TrackerColumn.Comments] = ["commentaires", "commentaire", "suivi", "suivi commentaires", "commentaires suivi", "notes", "note", "remarques", "observations", "comments", "comment", "follow up"],
        [TrackerColumn.Obstacles] = ["obstacles", "obstacle", "difficultes", "defis", "obstacles rencontres", "challenges", "barriers"],
        [TrackerColumn.HelpNeeded] = ["aide requise", "besoin d aide", "besoins", "soutien requis", "aide", "help needed", "support needed", "help"],
    };

    private static readonly Dictionary<string, (TrackerColumn Role, int Rank)> Lookup = Synonyms
        .SelectMany(s => s.Value.Select((text, rank) => (text, s.Key, rank)))
        .ToDictionary(x => x.text, x => (x.Key, x.rank), StringComparer.Ordinal);

    /// <summary>The header's synonyms as a coordinator reads them (for the template's explanations).</summary>
    public static IReadOnlyList<string> SynonymsOf(TrackerColumn column) => Synonyms[column];

    /// <summary>The role a header names, if any.</summary>
    public static TrackerColumn? RoleOf(string? header) =>
        header is not null && Lookup.TryGetValue(Normalize(header), out var found) ? found.Role : null;

    /// <summary>
    /// Lower-case, accents and ligatures undone, every run of characters other than letters, digits and <c>#</c> one
    /// space: "N°", "No." and "no" read alike, and "Date d'échéance" as "date d echeance".
    /// </summary>
    public static string Normalize(string text)
    {
        var decomposed = text.Replace("œ", "oe", StringComparison.OrdinalIgnoreCase).Replace("æ", "ae", StringComparison.OrdinalIgnoreCase).Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c) || c == '#')
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The best header among the sheet's first rows (the one naming the most columns, the earliest, a two-row header
    /// before its first row alone), or null when none names an action.
    /// </summary>
    public static TrackerHeader? Find(XlsxGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        TrackerHeader? best = null;
        foreach (var row in grid.RowNumbers.TakeWhile(r => r <= HeaderSearchRows))
        {
            foreach (var candidate in new[] { IsSubHeader(grid, row) ? Map(grid, row, row + 1) : null, Map(grid, row, row) })
            {
                if (candidate is not null && candidate.Columns.ContainsKey(TrackerColumn.Action)
                    && (best is null || candidate.Columns.Count > best.Columns.Count))
                {
                    best = candidate;
                }
            }
        }

        return best;
    }

    // The row under a header row is its second row when every value there names a column or continues the cell above
    // through a merge, or when a value naming a column sits under a group cell merged across columns ("Échéancier" over
    // "Début" and "Durée").
    private static bool IsSubHeader(XlsxGrid grid, int headerRow)
    {
        var row = headerRow + 1;
        var all = true;
        var any = false;
        var underGroup = false;
        for (var column = 1; column <= grid.LastColumn; column++)
        {
            if (grid[row, column] is not { IsBlank: false } cell)
            {
                continue;
            }

            var names = RoleOf(cell.Text) is not null;
            all &= names || grid.IsMergeContinuation(row, column);
            any = true;
            underGroup |= names && (grid.IsMergeContinuation(headerRow, column) || grid.IsMergeContinuation(headerRow, column + 1))
                && !grid.IsMergeContinuation(row, column);
        }

        return any && (all || underGroup);
    }

    // Null for a pair whose first row names nothing the second does not: then the second row alone is the header.
    private static TrackerHeader? Map(XlsxGrid grid, int firstRow, int lastRow)
    {
        var columns = new Dictionary<TrackerColumn, (MappedColumn Column, int Rank)>();
        var ignored = new List<string>();
        var fromFirstRow = 0;
        for (var index = 1; index <= grid.LastColumn; index++)
        {
            // The lowest value names the column: "Début" under "Échéancier"; a sub-header of its own ("Durée") is not
            // the group's, and leaves the column out.
            (TrackerColumn Role, int Rank)? match = null;
            string? header = null;
            for (var row = lastRow; row >= firstRow && header is null; row--)
            {
                if (grid[row, index] is { IsBlank: false } cell)
                {
                    header = Clean(cell.Text);
                    if (Lookup.TryGetValue(Normalize(cell.Text), out var found))
                    {
                        match = found;
                        fromFirstRow += row < lastRow ? 1 : 0;
                    }
                }
            }

            if (match is not { } m)
            {
                if (header is not null && !ignored.Contains(header, StringComparer.Ordinal))
                {
                    ignored.Add(header);
                }

                continue;
            }

            if (!columns.TryGetValue(m.Role, out var other) || m.Rank < other.Rank)
            {
                if (columns.TryGetValue(m.Role, out var replaced))
                {
                    ignored.Add(replaced.Column.Header);
                }

                columns[m.Role] = (new MappedColumn(m.Role, index, header!), m.Rank);
            }
            else
            {
                ignored.Add(header!);
            }
        }

        return lastRow > firstRow && fromFirstRow == 0 ? null
            : new TrackerHeader(firstRow, lastRow, columns.ToDictionary(c => c.Key, c => c.Value.Column), ignored);
    }

    private static string Clean(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
