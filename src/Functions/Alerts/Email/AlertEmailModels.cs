using Engagement.Core.Alerts;
using Engagement.Core.Domain;

namespace Engagement.Functions.Alerts.Email;

/// <summary>One organisation's part of an alert e-mail (or the partnership's, named after it).</summary>
public sealed record AlertEmailItem(Alert Alert, string SubjectName, AlertAction Action, string? AcknowledgeLink);

/// <summary>
/// An alert e-mail: the organisations one scoring run flags, highest risk first; <see cref="Link"/> is the dashboard's
/// page of the partnership, in its language.
/// </summary>
public sealed record AlertEmailModel(Partnership Partnership, IReadOnlyList<AlertEmailItem> Items, string? Link)
{
    /// <summary>Several organisations: each under its name, the dashboard link once at the top.</summary>
    public bool Grouped => Items.Count > 1;

    /// <summary>The model named once at the end: the one that scored the highest risk.</summary>
    public string ModelVersion => Items[0].Alert.ModelVersion;
}

/// <summary>One open alert in the weekly digest.</summary>
public sealed record DigestLine(Alert Alert, string SubjectName);

/// <summary>The weekly digest of a partnership's open alerts, highest risk first.</summary>
public sealed record DigestEmailModel(Partnership Partnership, IReadOnlyList<DigestLine> Lines, string Week, string? Link);
