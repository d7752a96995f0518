namespace Engagement.Core.Validation;

/// <summary>
/// Collects every problem of an input at once, keyed by the offending field's path
/// (e.g. <c>records[3].status</c>), so a caller can fix them all in one go.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when nothing was reported.</summary>
    public bool IsValid => _errors.Count == 0;

    /// <summary>Number of fields with at least one problem.</summary>
    public int Count => _errors.Count;

    /// <summary>Reports a problem with a field.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }

        list.Add(message);
    }

    /// <summary>The problems in the shape of RFC 9457 validation problem details.</summary>
    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Every problem, field by field, in the order they were reported.</summary>
    public IEnumerable<(string Field, string Message)> Entries => _errors.SelectMany(e => e.Value.Select(m => (e.Key, m)));

    /// <summary>Whether a field has a problem.</summary>
    public bool Contains(string field) => _errors.ContainsKey(field);

    /// <summary>Joins a path and a member name: <c>Field("records[3]", "status")</c> is <c>records[3].status</c>.</summary>
    public static string Field(string prefix, string member) => prefix.Length == 0 ? member : $"{prefix}.{member}";
}

/// <summary>Thrown by the ingestion layer when an input is invalid; carries every problem found.</summary>
public sealed class ValidationFailedException(ValidationErrors errors, string? title = null)
    : Exception(title ?? "The input is not valid.")
{
    /// <summary>Every problem found.</summary>
    public ValidationErrors Errors { get; } = errors;
}

/// <summary>Thrown when a request names a partnership, meeting or form that does not exist.</summary>
public sealed class NotFoundException(string field, string message) : Exception(message)
{
    /// <summary>The field or route parameter that named the missing thing.</summary>
    public string Field { get; } = field;
}
