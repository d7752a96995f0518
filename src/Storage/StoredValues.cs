using System.Globalization;
using Engagement.Core.Domain;

namespace Engagement.Storage;

/// <summary>How both stores write values as text, so the two backends read and compare the same way.</summary>
internal static class StoredValues
{
    public static string Instant(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseInstant(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static T Parse<T>(string? wire) where T : struct, Enum =>
        WireNames.TryParse<T>(wire, out var value) ? value : throw new InvalidDataException($"Unknown stored {typeof(T).Name} '{wire}'.");

    public static WriteOutcome Outcome(WriteCounts counts) =>
        counts.Created > 0 ? WriteOutcome.Created : counts.Updated > 0 ? WriteOutcome.Updated : WriteOutcome.Unchanged;

    /// <summary>Refuses a record of another partnership in a batch: a programming error, never user input.</summary>
    public static string Same(string partnershipId, string recordPartnershipId) =>
        partnershipId == recordPartnershipId
            ? partnershipId
            : throw new ArgumentException($"A record of partnership '{recordPartnershipId}' was passed in a batch for '{partnershipId}'.");

    /// <summary>Answers in key order, so the same answers sent in another order are stored identically.</summary>
    public static SortedDictionary<string, IReadOnlyList<string>> OrderedAnswers(IReadOnlyDictionary<string, IReadOnlyList<string>> answers) =>
        new(answers.ToDictionary(), StringComparer.Ordinal);

    public static Dictionary<string, string> DiagnosticItems(IReadOnlyDictionary<int, DiagnosticAnswer> items) =>
        items.OrderBy(i => i.Key).ToDictionary(i => i.Key.ToString(CultureInfo.InvariantCulture), i => i.Value.ToString());

    public static Dictionary<int, DiagnosticAnswer> ParseDiagnosticItems(Dictionary<string, string> items) =>
        items.ToDictionary(i => int.Parse(i.Key, CultureInfo.InvariantCulture), i => Enum.Parse<DiagnosticAnswer>(i.Value));
}

/// <summary>A diagnostic mapping as stored (JSON), with keys in a stable order.</summary>
internal sealed record StoredMapping(Dictionary<string, int> Items, Dictionary<string, string> AnswerLabels)
{
    public static StoredMapping From(DiagnosticMapping mapping) => new(
        mapping.Items.OrderBy(i => i.Key, StringComparer.Ordinal).ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal),
        mapping.AnswerLabels.OrderBy(l => l.Key, StringComparer.Ordinal).ToDictionary(l => l.Key, l => l.Value.ToString(), StringComparer.Ordinal));

    public DiagnosticMapping ToMapping() => new()
    {
        Items = Items,
        AnswerLabels = AnswerLabels.ToDictionary(l => l.Key, l => Enum.Parse<DiagnosticAnswer>(l.Value), StringComparer.Ordinal),
    };
}

/// <summary>A form's questions as stored (JSON): kinds by their wire names, choices as text pairs.</summary>
internal sealed record StoredQuestion(string Key, string Kind, string Text, string? TextEn, bool Required, List<StoredChoice>? Choices)
{
    public static List<StoredQuestion> From(IReadOnlyList<FormQuestion> questions) =>
        [.. questions.Select(q => new StoredQuestion(q.Key, WireNames.Format(q.Kind), q.Text, q.TextEn, q.Required, q.Choices.Count == 0 ? null : [.. q.Choices.Select(c => new StoredChoice(c.Text, c.TextEn))]))];

    public FormQuestion ToQuestion() => new()
    {
        Key = Key,
        Kind = StoredValues.Parse<FormQuestionKind>(Kind),
        Text = Text,
        TextEn = TextEn,
        Required = Required,
        Choices = Choices is null ? [] : [.. Choices.Select(c => new FormChoice(c.Text, c.TextEn))],
    };
}

/// <summary>One choice as stored.</summary>
internal sealed record StoredChoice(string Text, string? TextEn);
