using Engagement.Core.Domain;

namespace Engagement.Functions.Participants;

/// <summary>What every participant's page says at its top: the partnership, what the page is for, and when.</summary>
/// <param name="PartnershipName">The partnership's name.</param>
/// <param name="Title">The meeting's or the form's title, if any.</param>
/// <param name="Start">The meeting's start, for a meeting's pages.</param>
public sealed record ParticipantHeading(string PartnershipName, string? Title, DateTimeOffset? Start);

/// <summary>
/// The "who are you" part of a participant's page: the organisations to pick from, then the chosen organisation's
/// representatives, with what was posted when the page comes back with a problem.
/// </summary>
public sealed record PickModel
{
    public required LinkPurpose Purpose { get; init; }
    public required ParticipantHeading Heading { get; init; }

    /// <summary>This page's signed address with its language, without the organisation.</summary>
    public required string Action { get; init; }

    public required IReadOnlyList<PickOrganization> Organizations { get; init; }

    /// <summary>The organisation picked (<c>o</c>), if any.</summary>
    public PickOrganization? Organization { get; init; }

    public PickProblem Problem { get; init; }

    /// <summary>The person picked, as posted.</summary>
    public string? PersonId { get; init; }

    /// <summary>The name typed, as posted.</summary>
    public string? TypedName { get; init; }

    /// <summary>Where the page posts: its address with the organisation.</summary>
    public string PostAction => Organization is null ? Action : $"{Action}&o={Uri.EscapeDataString(Organization.Id)}";
}

/// <summary>A feedback form's page: who answers, the questions, what was posted and what is missing or wrong.</summary>
public sealed record FeedbackModel
{
    public required PickModel Who { get; init; }
    public required IReadOnlyList<FormQuestion> Questions { get; init; }
    public required long OpenedAt { get; init; }
    public IReadOnlyDictionary<string, string> Posted { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Missing { get; init; } = [];
    public IReadOnlyList<string> Invalid { get; init; } = [];

    public bool HasProblems => Who.Problem != PickProblem.None || Missing.Count > 0 || Invalid.Count > 0;
}

/// <summary>The CACIS diagnostic's page: who answers, the 18 items, what was posted and which items are missing.</summary>
public sealed record DiagnosticModel
{
    public required PickModel Who { get; init; }
    public required long OpenedAt { get; init; }
    public required DateTimeOffset ValidUntil { get; init; }
    public IReadOnlyDictionary<int, string> Posted { get; init; } = new Dictionary<int, string>();
    public IReadOnlyList<int> Missing { get; init; } = [];

    public bool HasProblems => Who.Problem != PickProblem.None || Missing.Count > 0;
}

/// <summary>The coordinator's sign-in page of a meeting: its link and QR code, the live sheet, the feedback links.</summary>
public sealed record MeetingSignInModel
{
    public required Partnership Partnership { get; init; }
    public required Meeting Meeting { get; init; }
    public required string Url { get; init; }
    public required QrCode Qr { get; init; }
    public required DateTimeOffset ValidFrom { get; init; }
    public required DateTimeOffset ValidUntil { get; init; }
    public required SheetView Sheet { get; init; }
    public required IReadOnlyList<FormLink> FeedbackLinks { get; init; }
    public (string Name, string Value)? Antiforgery { get; init; }
    public int RefreshSeconds { get; init; }
}

/// <summary>A form's signed link with its QR code.</summary>
public sealed record FormLink(string FormId, string? Title, string Url, QrCode Qr, DateTimeOffset ValidUntil);

/// <summary>The coordinator's page that closes a meeting's sign-in.</summary>
public sealed record CloseSignInModel
{
    public required Partnership Partnership { get; init; }
    public required Meeting Meeting { get; init; }
    public required IReadOnlyList<PickPerson> NotRecorded { get; init; }
    public required int SignedIn { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public (string Name, string Value)? Antiforgery { get; init; }
}

/// <summary>The coordinator's page that opens a CACIS diagnostic, and shows its link once opened.</summary>
public sealed record DiagnosticOpenModel
{
    public required Partnership Partnership { get; init; }
    public required DateOnly DefaultUntil { get; init; }
    public required DateOnly LastUntil { get; init; }
    public FormLink? Opened { get; init; }
    public int Responses { get; init; }
    public (string Name, string Value)? Antiforgery { get; init; }
}
