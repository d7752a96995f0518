namespace Engagement.Core.Domain;

/// <summary>A round table, a MADA/PFM committee or a network: the unit whose health we follow.</summary>
public sealed record Partnership
{
    /// <summary>Stable id chosen by the caller (a valid Table key).</summary>
    public required string Id { get; init; }
    /// <summary>Display name.</summary>
    public required string Name { get; init; }
    /// <summary>Territory served, e.g. a borough or an MRC.</summary>
    public string? Territory { get; init; }
    /// <summary>Language used for alerts and pages.</summary>
    public PartnershipLanguage Language { get; init; } = PartnershipLanguage.French;
    /// <summary>Who receives alerts.</summary>
    public IReadOnlyList<string> CoordinatorEmails { get; init; } = [];
    /// <summary>
    /// Whether alerts are also sent by e-mail to <see cref="CoordinatorEmails"/>; alerts are always recorded (and shown on
    /// the dashboard and by the alerts API). A partnership created without it starts quiet (false) until its coordinator
    /// turns e-mails on; partnerships stored before the setting existed read as true, since their coordinators rely on
    /// the e-mails they were getting.
    /// </summary>
    public bool AlertEmails { get; init; }
}

/// <summary>A partner organisation of one partnership.</summary>
public sealed record Organization
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>Id unique within the partnership.</summary>
    public required string Id { get; init; }
    /// <summary>Display name.</summary>
    public required string Name { get; init; }
    /// <summary>Sector, for comparing viewpoints by group.</summary>
    public Sector Sector { get; init; } = Sector.Other;
}

/// <summary>A person known to one partnership. Name and e-mail are personal data, erased after the retention period.</summary>
public sealed record Person
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>Id unique within the partnership (a pseudonymous key survives erasure).</summary>
    public required string Id { get; init; }
    /// <summary>Name, or null once erased.</summary>
    public string? DisplayName { get; init; }
    /// <summary>E-mail (lower-cased), or null once erased or unknown.</summary>
    public string? Email { get; init; }
    /// <summary>When the personal data was erased by the retention policy, if it was.</summary>
    public DateTimeOffset? ErasedAt { get; init; }
}

/// <summary>
/// A person represents an organisation in a partnership from one date to another. Turnover is recorded by
/// ending one representation and starting another.
/// </summary>
public sealed record Representation
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>Id unique within the partnership.</summary>
    public required string Id { get; init; }
    /// <summary>The represented organisation.</summary>
    public required string OrganizationId { get; init; }
    /// <summary>The representative.</summary>
    public required string PersonId { get; init; }
    /// <summary>Role held.</summary>
    public RepresentationRole Role { get; init; } = RepresentationRole.Representative;
    /// <summary>First day (inclusive).</summary>
    public required DateOnly From { get; init; }
    /// <summary>Last day (inclusive), or null while it lasts.</summary>
    public DateOnly? To { get; init; }

    /// <summary>Whether the representation covers the given day.</summary>
    public bool IsActiveOn(DateOnly day) => From <= day && (To is null || To.Value >= day);

    /// <summary>The natural id used when the caller gives none: organisation, person and start date.</summary>
    public static string NaturalId(string organizationId, string personId, DateOnly from) =>
        $"{organizationId}.{personId}.{from:yyyyMMdd}";
}

/// <summary>A meeting of a partnership.</summary>
public sealed record Meeting
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>Id unique within the partnership.</summary>
    public required string Id { get; init; }
    /// <summary>Title, if any.</summary>
    public string? Title { get; init; }
    /// <summary>Start, with the local offset it was given in.</summary>
    public required DateTimeOffset Start { get; init; }
    /// <summary>End, with its offset.</summary>
    public required DateTimeOffset End { get; init; }
    /// <summary>What kind of meeting.</summary>
    public MeetingKind Kind { get; init; } = MeetingKind.Regular;
    /// <summary>How people attend.</summary>
    public MeetingSource Source { get; init; } = MeetingSource.InPerson;
    /// <summary>The Teams join URL, for online or hybrid meetings.</summary>
    public string? TeamsJoinUrl { get; init; }
    /// <summary>A cancelled meeting counts for nobody's attendance.</summary>
    public bool Cancelled { get; init; }
}

/// <summary>One person's attendance at one meeting.</summary>
public sealed record Attendance
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>The meeting.</summary>
    public required string MeetingId { get; init; }
    /// <summary>The person.</summary>
    public required string PersonId { get; init; }
    /// <summary>Present, absent or excused.</summary>
    public required AttendanceStatus Status { get; init; }
    /// <summary>Seconds attended, when known (Teams reports).</summary>
    public int? SecondsAttended { get; init; }
    /// <summary>When the person joined and left, when known (Teams reports), in time order.</summary>
    public IReadOnlyList<AttendanceInterval>? Intervals { get; init; }

    /// <summary>Records are equal when every value is, intervals compared element by element.</summary>
    public bool Equals(Attendance? other) =>
        other is not null && PartnershipId == other.PartnershipId && MeetingId == other.MeetingId && PersonId == other.PersonId
        && Status == other.Status && SecondsAttended == other.SecondsAttended
        && (Intervals ?? []).SequenceEqual(other.Intervals ?? []);

    /// <summary>Hash over the keys and status.</summary>
    public override int GetHashCode() => HashCode.Combine(PartnershipId, MeetingId, PersonId, Status, SecondsAttended);
}

/// <summary>One stay in an online meeting.</summary>
/// <param name="Join">When the person joined.</param>
/// <param name="Leave">When they left.</param>
/// <param name="Seconds">How long they stayed.</param>
public sealed record AttendanceInterval(DateTimeOffset Join, DateTimeOffset Leave, int Seconds);

/// <summary>A registered online form: which partnership it feeds, and for a diagnostic, its item mapping.</summary>
public sealed record FormDefinition
{
    /// <summary>The form id (Microsoft Forms id or any stable id).</summary>
    public required string Id { get; init; }
    /// <summary>The partnership whose members answer it.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>What the form is for.</summary>
    public required FormKind Kind { get; init; }
    /// <summary>Title, if any.</summary>
    public string? Title { get; init; }
    /// <summary>For diagnostic forms: how questions and answer labels map to CACIS items.</summary>
    public DiagnosticMapping? Diagnostic { get; init; }
    /// <summary>
    /// The questions the product's own pages ask (a feedback form answered from a signed link), in order; null for a
    /// form answered elsewhere (Microsoft Forms). Answers are stored under each question's key, as Forms' are.
    /// </summary>
    public IReadOnlyList<FormQuestion>? Questions { get; init; }

    /// <summary>Records are equal when every value is, questions compared element by element.</summary>
    public bool Equals(FormDefinition? other) =>
        other is not null && Id == other.Id && PartnershipId == other.PartnershipId && Kind == other.Kind && Title == other.Title
        && Equals(Diagnostic, other.Diagnostic) && (Questions ?? []).SequenceEqual(other.Questions ?? []) && (Questions is null) == (other.Questions is null);

    /// <summary>Hash over the id, partnership and kind.</summary>
    public override int GetHashCode() => HashCode.Combine(Id, PartnershipId, Kind);
}

/// <summary>One question of a form the product's pages ask: its key, what kind of answer it takes, its text in French and English.</summary>
public sealed record FormQuestion
{
    /// <summary>Key the answers are stored under (unique within the form).</summary>
    public required string Key { get; init; }
    /// <summary>Free text, a 1–5 scale or one choice among several.</summary>
    public required FormQuestionKind Kind { get; init; }
    /// <summary>The question as the partnership wrote it (shown in French, and in English when no English text is given).</summary>
    public required string Text { get; init; }
    /// <summary>The question in English, if given.</summary>
    public string? TextEn { get; init; }
    /// <summary>Whether an answer is required.</summary>
    public bool Required { get; init; }
    /// <summary>For a choice: the choices in order; the stored answer is the choice's <see cref="FormChoice.Text"/>.</summary>
    public IReadOnlyList<FormChoice> Choices { get; init; } = [];

    /// <summary>Records are equal when every value is, choices compared element by element.</summary>
    public bool Equals(FormQuestion? other) =>
        other is not null && Key == other.Key && Kind == other.Kind && Text == other.Text && TextEn == other.TextEn && Required == other.Required
        && Choices.SequenceEqual(other.Choices);

    /// <summary>Hash over the key, kind and text.</summary>
    public override int GetHashCode() => HashCode.Combine(Key, Kind, Text);
}

/// <summary>One choice of a choice question.</summary>
/// <param name="Text">The choice as the partnership wrote it: the stored answer.</param>
/// <param name="TextEn">The choice in English, if given (shown only; the stored answer stays <paramref name="Text"/>).</param>
public sealed record FormChoice(string Text, string? TextEn = null);

/// <summary>One response to a form.</summary>
public sealed record FormSubmission
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>The form.</summary>
    public required string FormId { get; init; }
    /// <summary>The response id from the source (unique within the form).</summary>
    public required string ResponseId { get; init; }
    /// <summary>The form's kind at submission time.</summary>
    public required FormKind Kind { get; init; }
    /// <summary>The respondent when they are a known person of the partnership.</summary>
    public string? RespondentPersonId { get; init; }
    /// <summary>The respondent's e-mail when it matched nobody (personal data, erased with retention).</summary>
    public string? RespondentEmail { get; init; }
    /// <summary>When it was submitted.</summary>
    public required DateTimeOffset SubmittedAt { get; init; }
    /// <summary>Answers by question key; multi-choice answers hold several values.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; init; }
    /// <summary>For a diagnostic: the A/B/C answer of each answered item (1–18).</summary>
    public IReadOnlyDictionary<int, DiagnosticAnswer>? DiagnosticItems { get; init; }
}

/// <summary>Counts of a write: what was new, what changed, what was already there.</summary>
/// <param name="Created">Records that did not exist.</param>
/// <param name="Updated">Records that existed with other values.</param>
/// <param name="Unchanged">Records that existed with the same values.</param>
public readonly record struct WriteCounts(int Created, int Updated, int Unchanged)
{
    /// <summary>The sum of two counts.</summary>
    public static WriteCounts operator +(WriteCounts a, WriteCounts b) =>
        new(a.Created + b.Created, a.Updated + b.Updated, a.Unchanged + b.Unchanged);

    /// <summary>Named alternative to <c>+</c>.</summary>
    public static WriteCounts Add(WriteCounts a, WriteCounts b) => a + b;

    /// <summary>Counts one record by what happened to it.</summary>
    public WriteCounts With(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Created => this with { Created = Created + 1 },
        WriteOutcome.Updated => this with { Updated = Updated + 1 },
        _ => this with { Unchanged = Unchanged + 1 },
    };
}

/// <summary>What an upsert did to one record.</summary>
public enum WriteOutcome
{
    /// <summary>Inserted.</summary>
    Created,
    /// <summary>Replaced with other values.</summary>
    Updated,
    /// <summary>Already stored with the same values.</summary>
    Unchanged,
}
