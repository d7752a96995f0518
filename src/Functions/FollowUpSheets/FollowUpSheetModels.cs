using Engagement.Core.Domain;

namespace Engagement.Functions.FollowUpSheets;

/// <summary>What a representative wrote on a follow-up sheet, as posted (kept when the page comes back with a problem).</summary>
public sealed record SheetAnswer(string? Status, string? Done, string? Obstacles, string? HelpNeeded)
{
    public static readonly SheetAnswer Empty = new(null, null, null, null);
}

/// <summary>The action a sheet asks about, as the page and the answer's summary show it.</summary>
/// <param name="PartnershipName">The partnership.</param>
/// <param name="OrganizationName">The organisation asked (the action's lead).</param>
/// <param name="PersonName">The representative the link was sent to.</param>
/// <param name="Action">The action.</param>
/// <param name="ObjectiveTitle">The objective it serves, when known.</param>
/// <param name="PartnerNames">The other organisations that carry it.</param>
/// <param name="Round">The round the sheet was asked in.</param>
/// <param name="ValidUntil">When the link stops working.</param>
public sealed record SheetAction(
    string PartnershipName,
    string OrganizationName,
    string PersonName,
    PlanAction Action,
    string? ObjectiveTitle,
    IReadOnlyList<string> PartnerNames,
    DateOnly Round,
    DateTimeOffset ValidUntil);

/// <summary>The follow-up sheet's page: the action, the latest status known, and the form (with what was posted and its problems).</summary>
public sealed record SheetModel
{
    public required SheetAction Sheet { get; init; }

    /// <summary>The action's latest update before this sheet, if any.</summary>
    public ActionUpdate? Latest { get; init; }

    /// <summary>Where the form posts: this page's signed address with its language.</summary>
    public required string PostAction { get; init; }

    public SheetAnswer Posted { get; init; } = SheetAnswer.Empty;

    /// <summary>Problems by field (<c>status</c>, <c>done</c>, <c>obstacles</c>, <c>help</c>), each the key of its sentence.</summary>
    public IReadOnlyDictionary<string, string> Problems { get; init; } = new Dictionary<string, string>();

    public bool HasProblems => Problems.Count > 0;
}

/// <summary>A sheet that has its answer: just sent by this representative (thanks), or answered before (by them or a colleague).</summary>
public sealed record SheetAnsweredModel
{
    public required SheetAction Sheet { get; init; }

    /// <summary>The update the answer recorded (null only if a store lost it).</summary>
    public required ActionUpdate? Answer { get; init; }

    public required DateTimeOffset AnsweredAt { get; init; }

    /// <summary>Who answered, by name (the representative's own name when it was them).</summary>
    public required string AnsweredBy { get; init; }

    /// <summary>This request's own post stored the answer (or a double submit of it): the thank-you page.</summary>
    public required bool JustNow { get; init; }
}

/// <summary>One action in a follow-up e-mail, with the representative's own link to its sheet.</summary>
public sealed record SheetEmailItem(string Title, string? ObjectiveTitle, DateOnly? DueOn, string Url);

/// <summary>
/// A follow-up e-mail to one representative: the sheets of one round asked of their organisation (or the reminder of
/// those still unanswered), in the partnership's language.
/// </summary>
public sealed record SheetEmailModel(
    Partnership Partnership,
    string OrganizationName,
    string PersonName,
    bool Reminder,
    DateOnly SentOn,
    IReadOnlyList<SheetEmailItem> Items,
    DateTimeOffset ValidUntil);
