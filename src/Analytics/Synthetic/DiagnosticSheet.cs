using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Engagement.Core.Domain;

namespace Engagement.Analytics.Synthetic;

/// <summary>
/// The 18 answers of one synthetic CACIS response, held in 18 bytes and shown through the two read-only dictionary
/// shapes a <see cref="FormSubmission"/> carries. A large dataset holds tens of thousands of responses, and two real
/// dictionaries each would cost over a kilobyte per response.
/// </summary>
internal sealed class DiagnosticSheet
{
    private static readonly string[] QuestionKeys = [.. Enumerable.Range(1, Cacis.ItemCount).Select(i => "q" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly FrozenDictionary<string, int> QuestionItems = QuestionKeys.Select((key, i) => (key, i + 1)).ToFrozenDictionary(e => e.key, e => e.Item2);
    private static readonly IReadOnlyList<string>[] Labels = [Array.AsReadOnly(["A"]), Array.AsReadOnly(["B"]), Array.AsReadOnly(["C"])];

    /// <summary>How the synthetic diagnostic forms map question keys <c>q1</c>…<c>q18</c> to items; answers are "A", "B" or "C".</summary>
    public static DiagnosticMapping Mapping { get; } = new() { Items = QuestionItems };

    private readonly byte[] _answers;

    public DiagnosticSheet(byte[] answers)
    {
        if (answers.Length != Cacis.ItemCount)
        {
            throw new ArgumentException($"A CACIS sheet has {Cacis.ItemCount} answers.", nameof(answers));
        }

        _answers = answers;
        Items = new ItemView(this);
        Answers = new AnswerView(this);
    }

    /// <summary>Item number (1–18) → answer.</summary>
    public IReadOnlyDictionary<int, DiagnosticAnswer> Items { get; }

    /// <summary>Question key (<c>q1</c>…) → the answer label, as a form export gives it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; }

    private DiagnosticAnswer Answer(int item) => (DiagnosticAnswer)_answers[item - 1];

    private sealed class ItemView(DiagnosticSheet sheet) : IReadOnlyDictionary<int, DiagnosticAnswer>
    {
        public DiagnosticAnswer this[int key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException();
        public IEnumerable<int> Keys => Enumerable.Range(1, Cacis.ItemCount);
        public IEnumerable<DiagnosticAnswer> Values => Keys.Select(sheet.Answer);
        public int Count => Cacis.ItemCount;
        public bool ContainsKey(int key) => key is >= 1 and <= Cacis.ItemCount;

        public bool TryGetValue(int key, out DiagnosticAnswer value)
        {
            value = ContainsKey(key) ? sheet.Answer(key) : default;
            return ContainsKey(key);
        }

        public IEnumerator<KeyValuePair<int, DiagnosticAnswer>> GetEnumerator()
        {
            for (var item = 1; item <= Cacis.ItemCount; item++)
            {
                yield return new(item, sheet.Answer(item));
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class AnswerView(DiagnosticSheet sheet) : IReadOnlyDictionary<string, IReadOnlyList<string>>
    {
        public IReadOnlyList<string> this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException();
        public IEnumerable<string> Keys => QuestionKeys;
        public IEnumerable<IReadOnlyList<string>> Values => QuestionKeys.Select(key => this[key]);
        public int Count => Cacis.ItemCount;
        public bool ContainsKey(string key) => QuestionItems.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out IReadOnlyList<string> value)
        {
            if (QuestionItems.TryGetValue(key, out var item))
            {
                value = Labels[(int)sheet.Answer(item)];
                return true;
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator()
        {
            for (var item = 1; item <= Cacis.ItemCount; item++)
            {
                yield return new(QuestionKeys[item - 1], Labels[(int)sheet.Answer(item)]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
