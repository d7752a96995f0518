using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Engagement.Core.Domain;
using Engagement.Core.Validation;

namespace Engagement.Functions.ActionPlans;

/// <summary>What an import writes: objectives, actions and the status updates the tracker gives.</summary>
internal sealed record TrackerBatch(IReadOnlyList<Objective> Objectives, IReadOnlyList<PlanAction> Actions, IReadOnlyList<ActionUpdate> Updates);

/// <summary>
/// Turns a tracker's rows into the plan's records, with ids derived from the file so that importing it again stores
/// nothing new and importing it edited updates in place:
/// <list type="bullet">
/// <item>an objective is <c>O{n}</c> when its cell starts with its number ("1. Briser l’isolement", "Objectif 2 :"), or
/// when its own row gives one in the No column; else <c>O-</c> and its title's words;</item>
/// <item>an action is its objective's id, a dot and its number ("1.2" under objective 1 is <c>O1.2</c>, as is "2"),
/// or, without a number, a hash of its title (editing the title then makes it a new action).</item>
/// </list>
/// Organisations are found by id or by name (case, accents and punctuation aside). A status becomes an update only when
/// it differs from the action's status today, its id derived from the row, so the same file twice adds nothing.
/// </summary>
internal static partial class TrackerPlan
{
    private const int MaxSlug = 40;

    public static TrackerBatch Build(string partnershipId, IReadOnlyList<TrackerRow> rows, TrackerHeader header, IReadOnlyList<Organization> organizations, ActionPlan plan, DateTimeOffset now, TrackerProblems problems)
    {
        var (objectives, objectiveOfRow) = Objectives(partnershipId, rows, header, plan, problems);
        var names = new OrganizationNames(organizations);
        var statusToday = ActionProgress.At(plan, now).ToDictionary(s => s.Action.Id, s => s.Status, StringComparer.Ordinal);
        var actions = new List<PlanAction>();
        var actionRows = new Dictionary<string, int>(StringComparer.Ordinal);
        var updates = new List<ActionUpdate>();
        foreach (var row in rows.Where(r => r.Action is not null))
        {
            if (!objectiveOfRow.TryGetValue(row.ObjectiveRow, out var objective))
            {
                continue; // no objective: already reported
            }

            var id = ActionId(objective.Id, objective.Number, row, header, problems);
            if (id is not null && !actionRows.TryAdd(id, row.Row))
            {
                var (column, key) = row.Number is not null ? (TrackerColumn.Number, "Error.DuplicateNumber") : (TrackerColumn.Action, "Error.DuplicateAction");
                problems.At(row.Row, header.Columns[column], key, actionRows[id]);
            }

            var lead = row.Lead is null ? null : names.Resolve(row.Lead, row.Row, header.Columns[TrackerColumn.Lead], problems);
            var partners = row.Partners is null ? [] : names.ResolveList(row.Partners, row.Row, header.Columns[TrackerColumn.Partners], problems);
            if (id is null || lead is null)
            {
                continue;
            }

            actions.Add(new PlanAction
            {
                PartnershipId = partnershipId,
                Id = id,
                ObjectiveId = objective.Id,
                Title = row.Action!,
                LeadOrganizationId = lead,
                PartnerOrganizationIds = [.. partners.Where(p => p != lead)],
                StartOn = row.StartOn,
                DueOn = row.DueOn,
                Deliverables = row.Deliverables,
                Resources = row.Resources,
            });
            if (row.Status is { } status && status != statusToday.GetValueOrDefault(id, ActionStatus.NotStarted))
            {
                updates.Add(UpdateOf(partnershipId, id, status, row, now));
            }
        }

        return new TrackerBatch(objectives, actions, updates);
    }

    // Each objective once, in the order of the file; an objective's rows (its merged cell, or its group) share it.
    private static (List<Objective> Objectives, Dictionary<int, (string Id, string? Number)> OfRow) Objectives(
        string partnershipId, IReadOnlyList<TrackerRow> rows, TrackerHeader header, ActionPlan plan, TrackerProblems problems)
    {
        var stored = plan.Objectives.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var objectives = new Dictionary<string, (Objective Objective, int Row)>(StringComparer.Ordinal);
        var ofRow = new Dictionary<int, (string Id, string? Number)>();
        foreach (var row in rows.Where(r => r.Objective.Length > 0 && !ofRow.ContainsKey(r.ObjectiveRow)))
        {
            var (id, number, title) = ObjectiveOf(row.Objective, row.Action is null ? row.Number : null);
            ofRow[row.ObjectiveRow] = (id, number);
            if (objectives.TryGetValue(id, out var first))
            {
                if (!string.Equals(TrackerColumns.Normalize(first.Objective.Title), TrackerColumns.Normalize(title), StringComparison.Ordinal))
                {
                    problems.At(row.ObjectiveRow, header.Columns[TrackerColumn.Objective], "Error.ObjectiveConflict", number ?? id, first.Row, TrackerTexts.Quote(first.Objective.Title));
                }

                continue;
            }

            // The narrative of the progress report is written elsewhere: an import keeps it.
            var known = stored.GetValueOrDefault(id);
            objectives[id] = (new Objective
            {
                PartnershipId = partnershipId,
                Id = id,
                Title = title,
                Order = objectives.Count + 1,
                Description = known?.Description,
                Results = known?.Results,
                Means = known?.Means,
                Adjustments = known?.Adjustments,
                Learnings = known?.Learnings,
            }, row.ObjectiveRow);
        }

        return ([.. objectives.Values.Select(o => o.Objective)], ofRow);
    }

    // Its id comes from the row's content: the same row imported again is the same update, kept once.
    private static ActionUpdate UpdateOf(string partnershipId, string actionId, ActionStatus status, TrackerRow row, DateTimeOffset now) => new()
    {
        PartnershipId = partnershipId,
        ActionId = actionId,
        Id = "import." + Hash(actionId, WireNames.Format(status), row.Comments, row.Obstacles, row.HelpNeeded),
        At = now,
        Status = status,
        Source = ActionUpdateSource.Import,
        Done = row.Comments,
        Obstacles = row.Obstacles,
        HelpNeeded = row.HelpNeeded,
    };

    /// <summary>The objective's id, its number if it has one, and its title without the number.</summary>
    internal static (string Id, string? Number, string Title) ObjectiveOf(string text, string? rowNumber)
    {
        if (NumberedObjective().Match(text) is { Success: true } match)
        {
            var rest = match.Groups["title"].Value.Trim();
            return ("O" + match.Groups["n"].Value, match.Groups["n"].Value, rest.Length > 0 ? rest : text);
        }

        if (rowNumber is not null && ObjectiveNumber().IsMatch(rowNumber))
        {
            return ("O" + rowNumber, rowNumber, text);
        }

        var words = TrackerColumns.Normalize(text).Replace(' ', '-');
        var slug = words.Length <= MaxSlug ? words : words[..MaxSlug].TrimEnd('-') + "-" + Hash(words)[..6];
        return ("O-" + (slug.Length > 0 ? slug : Hash(text)[..8]), null, text);
    }

    private static string? ActionId(string objectiveId, string? objectiveNumber, TrackerRow row, TrackerHeader header, TrackerProblems problems)
    {
        if (row.Number is not { } number)
        {
            return $"{objectiveId}.{Hash(TrackerColumns.Normalize(row.Action!))[..8]}";
        }

        var suffix = objectiveNumber is not null && number.StartsWith(objectiveNumber + ".", StringComparison.Ordinal) && number.Length > objectiveNumber.Length + 1
            ? number[(objectiveNumber.Length + 1)..]
            : number;
        var id = $"{objectiveId}.{suffix}";
        if (!Check.IsValidId(id, out _))
        {
            problems.At(row.Row, header.Columns[TrackerColumn.Number], "Error.NumberInvalid", TrackerTexts.Quote(number), Check.MaxIdLength - objectiveId.Length - 1);
            return null;
        }

        return id;
    }

    /// <summary>A short, stable hash of some texts (lower-case hexadecimal).</summary>
    internal static string Hash(params string?[] parts)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts.Select(p => p ?? string.Empty))));
        return Convert.ToHexStringLower(bytes)[..16];
    }

    // "1. Briser l’isolement", "Objectif 2 : …", "Objective #3 - …", "O1 …", "1.2) …"; not "2026 : …".
    [GeneratedRegex(@"^\s*(?:(?:objectifs?|objectives?|obj|orientation|axe|goal)\s*[.:]?\s*)?(?:(?:n[°º]?|no|#)\s*\.?\s*)?o?(?<n>\d{1,3}(?:\.\d{1,3})*)(?:(?:\s*[-–—.:)]\s*|\s+)(?<title>.*))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex NumberedObjective();

    [GeneratedRegex(@"^\d{1,3}(?:\.\d{1,3})*$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectiveNumber();
}

/// <summary>A partnership's organisations found by id or name, whatever the case, accents and punctuation.</summary>
internal sealed partial class OrganizationNames(IReadOnlyList<Organization> organizations)
{
    private readonly Dictionary<string, string> _byKey = organizations
        .SelectMany(o => new[] { (Key: TrackerColumns.Normalize(o.Name), o.Id), (Key: TrackerColumns.Normalize(o.Id), o.Id) })
        .Where(k => k.Key.Length > 0)
        .GroupBy(k => k.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);

    private readonly HashSet<string> _ids = organizations.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);

    public string? Find(string text) =>
        _ids.Contains(text.Trim()) ? text.Trim() : _byKey.GetValueOrDefault(TrackerColumns.Normalize(text));

    public string? Resolve(string text, int row, MappedColumn column, TrackerProblems problems)
    {
        if (Find(text) is { } id)
        {
            return id;
        }

        Unknown(text, row, column, problems);
        return null;
    }

    /// <summary>Several organisations in one cell; a name holding a separator is found whole first.</summary>
    public IReadOnlyList<string> ResolveList(string text, int row, MappedColumn column, TrackerProblems problems)
    {
        if (Find(text) is { } whole)
        {
            return [whole];
        }

        var ids = new List<string>();
        foreach (var part in Separators().Split(text).Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            if (Resolve(part, row, column, problems) is { } id && !ids.Contains(id, StringComparer.Ordinal))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private void Unknown(string text, int row, MappedColumn column, TrackerProblems problems)
    {
        if (organizations.Count == 0)
        {
            problems.At(row, column, "Error.NoOrganization", TrackerTexts.Quote(text));
            return;
        }

        var known = string.Join(", ", organizations.Select(o => o.Name).Order(StringComparer.OrdinalIgnoreCase).Take(12)) + (organizations.Count > 12 ? ", …" : string.Empty);
        problems.At(row, column, "Error.OrganizationUnknown", TrackerTexts.Quote(text), known);
    }

    [GeneratedRegex(@"[;,/\r\n]+", RegexOptions.CultureInvariant)]
    private static partial Regex Separators();
}
