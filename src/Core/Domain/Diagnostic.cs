namespace Engagement.Core.Domain;

/// <summary>
/// How one diagnostic form maps to the CACIS self-diagnostic: which question key is which item (1–18), and
/// which answer labels mean A, B or C. Labels <c>A</c>, <c>B</c>, <c>C</c> and labels that start with the
/// letter followed by <c>)</c>, <c>.</c>, <c>-</c> or <c>:</c> (e.g. "A) Tout à fait") are always accepted.
/// </summary>
public sealed record DiagnosticMapping
{
    /// <summary>Question key (e.g. a Power Automate <c>r…</c> key or an Excel column header) → item number.</summary>
    public required IReadOnlyDictionary<string, int> Items { get; init; }

    /// <summary>Extra answer labels the form uses, normalised with <see cref="WireNames.Normalize"/>, → answer.</summary>
    public IReadOnlyDictionary<string, DiagnosticAnswer> AnswerLabels { get; init; } = new Dictionary<string, DiagnosticAnswer>();

    /// <summary>Maps an answer label to A, B or C.</summary>
    public bool TryMapAnswer(string label, out DiagnosticAnswer answer)
    {
        answer = default;
        var trimmed = label.Trim();
        if (trimmed.Length == 0)
        {
            return false;
        }

        if (AnswerLabels.TryGetValue(WireNames.Normalize(trimmed), out answer))
        {
            return true;
        }

        var letter = char.ToUpperInvariant(trimmed[0]);
        if (letter is not ('A' or 'B' or 'C'))
        {
            return false;
        }

        if (trimmed.Length == 1 || trimmed[1] is ')' or '.' or '-' or ':' || (trimmed[1] == ' ' && trimmed.Length > 2 && trimmed[2] is ')' or '.' or '-' or ':'))
        {
            answer = (DiagnosticAnswer)(letter - 'A');
            return true;
        }

        return false;
    }
}

/// <summary>The six conditions of the CACIS partnership self-diagnostic and their items.</summary>
public static class Cacis
{
    /// <summary>Number of items in the questionnaire.</summary>
    public const int ItemCount = 18;

    /// <summary>Condition number (1–6) → its items, after Bilodeau et al. (2008, 2014).</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<int>> Conditions { get; } = new Dictionary<int, IReadOnlyList<int>>
    {
        [1] = [1, 2],
        [2] = [3],
        [3] = [4],
        [4] = [5, 9, 10, 11],
        [5] = [12, 13, 14, 16],
        [6] = [6, 7, 8, 15, 17, 18],
    };
}
