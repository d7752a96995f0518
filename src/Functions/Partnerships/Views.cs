using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Functions.Partnerships;

// Wire shapes of what the API returns; kept apart from the domain records so either can change alone.

internal sealed record WriteResponse(int Created, int Updated, int Unchanged)
{
    public static WriteResponse From(WriteCounts counts) => new(counts.Created, counts.Updated, counts.Unchanged);

    public static WriteResponse From(WriteOutcome outcome) => From(default(WriteCounts).With(outcome));
}

internal sealed record PartnershipView(string Id, string Name, string? Territory, string Language, IReadOnlyList<string> CoordinatorEmails, bool AlertEmails)
{
    public static PartnershipView From(Partnership p) => new(p.Id, p.Name, p.Territory, WireNames.Format(p.Language), p.CoordinatorEmails, p.AlertEmails);
}

internal sealed record OrganizationView(string Id, string Name, string Sector);

internal sealed record PersonView(string Id, string? DisplayName, string? Email, bool Erased);

internal sealed record RepresentationView(string Id, string OrganizationId, string PersonId, string Role, DateOnly From, DateOnly? To, bool Active);

internal sealed record PartnershipDetailView(
    PartnershipView Partnership,
    IReadOnlyList<OrganizationView> Organizations,
    IReadOnlyList<PersonView> People,
    IReadOnlyList<RepresentationView> Representations)
{
    public static PartnershipDetailView From(Partnership partnership, Roster roster, DateOnly today) => new(
        PartnershipView.From(partnership),
        [.. roster.Organizations.Select(o => new OrganizationView(o.Id, o.Name, WireNames.Format(o.Sector)))],
        [.. roster.People.Select(p => new PersonView(p.Id, p.DisplayName, p.Email, p.ErasedAt is not null))],
        [.. roster.Representations.Select(r => new RepresentationView(r.Id, r.OrganizationId, r.PersonId, WireNames.Format(r.Role), r.From, r.To, r.IsActiveOn(today)))]);
}

internal sealed record AttendanceCountsView(int Present, int Absent, int Excused);

internal sealed record MeetingView(
    string Id,
    string? Title,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Kind,
    string Source,
    string? TeamsJoinUrl,
    bool Cancelled,
    AttendanceCountsView? Attendance)
{
    public static MeetingView From(Meeting m, AttendanceCountsView? counts) =>
        new(m.Id, m.Title, m.Start, m.End, WireNames.Format(m.Kind), WireNames.Format(m.Source), m.TeamsJoinUrl, m.Cancelled, counts);
}

internal sealed record AttendanceView(string PersonId, string Status, int? SecondsAttended);

internal sealed record MeetingAttendanceView(MeetingView Meeting, IReadOnlyList<AttendanceView> Records);

internal sealed record FormView(string Id, string PartnershipId, string Kind, string? Title, IReadOnlyDictionary<string, int>? Items, IReadOnlyDictionary<string, string>? AnswerLabels, IReadOnlyList<FormQuestionView>? Questions)
{
    public static FormView From(FormDefinition f) => new(
        f.Id,
        f.PartnershipId,
        WireNames.Format(f.Kind),
        f.Title,
        f.Diagnostic?.Items,
        f.Diagnostic?.AnswerLabels.ToDictionary(l => l.Key, l => l.Value.ToString(), StringComparer.Ordinal),
        f.Questions?.Select(q => new FormQuestionView(q.Key, WireNames.Format(q.Kind), q.Text, q.TextEn, q.Required, q.Kind == FormQuestionKind.Choice ? [.. q.Choices.Select(c => new FormChoiceView(c.Text, c.TextEn))] : null)).ToList());
}

internal sealed record FormQuestionView(string Key, string Kind, string Text, string? TextEn, bool Required, IReadOnlyList<FormChoiceView>? Choices);

internal sealed record FormChoiceView(string Text, string? TextEn);
