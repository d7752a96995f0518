using System.Globalization;
using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Dashboard;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Participants;

/// <summary>One line of a meeting's sign-in sheet as the coordinator reads it.</summary>
public sealed record SignInLine(
    string PersonId,
    string Name,
    string OrganizationId,
    string OrganizationName,
    DateTimeOffset SignedInAt,
    bool NewName,
    bool ToConfirm,
    bool SecondForOrganization);

/// <summary>A meeting's sheet as the coordinator reads it: the sign-ins, who is still expected, whether it is closed.</summary>
public sealed record SheetView(IReadOnlyList<SignInLine> Lines, IReadOnlyList<PickPerson> NotSignedIn, DateTimeOffset? ClosedAt)
{
    /// <summary>Organisations for which more than one person signed in (each such line after the first is flagged).</summary>
    public int SharedOrganizations => Lines.Where(l => l.SecondForOrganization).Select(l => l.OrganizationId).Distinct(StringComparer.Ordinal).Count();
}

/// <summary>Why a sign-in was not taken, besides a bad pick.</summary>
public enum SignInState
{
    Open,
    NotYetOpen,
    Over,
    Closed,
}

/// <summary>
/// The sign-in at the door of an in-person meeting. A participant is recorded twice, both idempotently: a sign-in (who,
/// for which organisation, first time kept) and attendance present. Closing the sheet marks every representative on
/// the meeting's day who has no attendance record absent, or excused when the coordinator says so. A typed name is a
/// person without representation ("to confirm"): the coordinator confirms it by giving them one, from the meeting's day.
/// </summary>
internal sealed class SignInService(
    IRosterStore rosterStore,
    IAttendanceStore attendanceStore,
    ISignInStore signInStore,
    IngestionService ingestion,
    ParticipantLinks links,
    IOptions<ParticipantOptions> options,
    TimeProvider time)
{
    /// <summary>When a meeting's sign-in link works: from before its start to after its end (settings).</summary>
    public (DateTimeOffset From, DateTimeOffset Until) Window(Meeting meeting) =>
        (meeting.Start.AddMinutes(-options.Value.SignInOpensMinutesBefore), meeting.End.AddMinutes(options.Value.SignInClosesMinutesAfter));

    public ParticipantLink Link(Meeting meeting) =>
        new(LinkPurpose.SignIn, meeting.PartnershipId, meeting.Id, null, Window(meeting).Until.ToUnixTimeSeconds());

    /// <summary>The day a meeting is on, in Montréal: the day representations are read for.</summary>
    public static DateOnly DayOf(Meeting meeting) => Fmt.DayOf(meeting.Start);

    public async Task<SignInState> StateAsync(Meeting meeting, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (from, until) = Window(meeting);
        if (now < from)
        {
            return SignInState.NotYetOpen;
        }

        if (now > until)
        {
            return SignInState.Over;
        }

        return (await signInStore.GetSheetAsync(meeting.PartnershipId, meeting.Id, ct)).ClosedAt is null ? SignInState.Open : SignInState.Closed;
    }

    /// <summary>Records the respondent present; a second time changes nothing. Answers the respondent, or why the pick was refused.</summary>
    public async Task<(Respondent? Respondent, PickProblem Problem)> SignInAsync(Meeting meeting, string? organizationId, string? personId, string? typedName, CancellationToken ct)
    {
        var (respondent, problem) = await ParticipantRoster.ResolveAsync(meeting.PartnershipId, organizationId, personId, typedName, DayOf(meeting), rosterStore, links, ct);
        if (respondent is null)
        {
            return (null, problem);
        }

        // The sign-in first, attendance second: closing the sheet relies on this order (see CloseAsync).
        await signInStore.AddSignInAsync(new MeetingSignIn
        {
            PartnershipId = meeting.PartnershipId,
            MeetingId = meeting.Id,
            PersonId = respondent.PersonId,
            OrganizationId = respondent.OrganizationId,
            SignedInAt = time.GetUtcNow(),
            NewName = respondent.NewName,
        }, ct);
        await attendanceStore.UpsertAttendanceAsync(meeting.PartnershipId, [Present(meeting, respondent.PersonId)], ct);
        return (respondent, PickProblem.None);
    }

    public async Task<SheetView> ReadSheetAsync(Meeting meeting, PartnershipLanguage language, CancellationToken ct)
    {
        var sheet = await signInStore.GetSheetAsync(meeting.PartnershipId, meeting.Id, ct);
        var roster = await rosterStore.GetRosterAsync(meeting.PartnershipId, ct);
        var day = DayOf(meeting);
        var people = roster.People.ToDictionary(p => p.Id, p => p.DisplayName ?? p.Id, StringComparer.Ordinal);
        var organizations = roster.Organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = sheet.SignIns.Select(s => new SignInLine(
            s.PersonId,
            people.GetValueOrDefault(s.PersonId, s.PersonId),
            s.OrganizationId,
            organizations.GetValueOrDefault(s.OrganizationId, s.OrganizationId),
            s.SignedInAt,
            s.NewName,
            s.NewName && !roster.Representations.Any(r => r.PersonId == s.PersonId && r.OrganizationId == s.OrganizationId && r.IsActiveOn(day)),
            SecondForOrganization: !seen.Add(s.OrganizationId))).ToList();
        return new SheetView(lines, await NotRecordedAsync(meeting, language, ct), sheet.ClosedAt);
    }

    /// <summary>The representatives on the meeting's day (with their name, when they have one) who have no attendance record yet.</summary>
    public async Task<IReadOnlyList<PickPerson>> NotRecordedAsync(Meeting meeting, PartnershipLanguage language, CancellationToken ct)
    {
        var roster = await rosterStore.GetRosterAsync(meeting.PartnershipId, ct);
        var attended = (await attendanceStore.GetAttendanceAsync(meeting.PartnershipId, meeting.Id, ct)).Select(a => a.PersonId).ToHashSet(StringComparer.Ordinal);
        var names = roster.People.ToDictionary(p => p.Id, p => p.DisplayName ?? p.Id, StringComparer.Ordinal);
        return [.. roster.Representations.Where(r => r.IsActiveOn(DayOf(meeting))).Select(r => r.PersonId).Distinct(StringComparer.Ordinal)
            .Where(id => !attended.Contains(id)).Select(id => new PickPerson(id, names.GetValueOrDefault(id, id))).OrderBy(p => p.Name, StringComparer.Create(PageLanguages.Culture(language), ignoreCase: true))];
    }

    /// <summary>
    /// Closes the sheet: every representative on the meeting's day without an attendance record is marked absent, or
    /// excused when named in <paramref name="excused"/> (each must be one of them). Closing again marks whoever is still
    /// without a record and keeps the first closing time.
    /// </summary>
    /// <remarks>
    /// A participant signing in while the sheet closes is never left absent: the sheet is closed first (later sign-ins
    /// are refused), and after the absences are written the sign-ins are read again and anyone who signed in meanwhile is
    /// written present again. A sign-in stores its sign-in record before its attendance, so one not seen by that second
    /// read writes its own "present" after the absence.
    /// </remarks>
    public async Task<(int Absent, int Excused, DateTimeOffset ClosedAt)> CloseAsync(Meeting meeting, IReadOnlyList<string> excused, CancellationToken ct)
    {
        var missing = await NotRecordedAsync(meeting, PartnershipLanguage.French, ct);
        var missingIds = missing.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var errors = new ValidationErrors();
        for (var i = 0; i < excused.Count; i++)
        {
            if (!missingIds.Contains(excused[i]))
            {
                errors.Add($"excused[{i}]", $"'{Check.Shorten(excused[i])}' is not a representative on the meeting's day without an attendance record.");
            }
        }

        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var closedAt = await signInStore.CloseSheetAsync(meeting.PartnershipId, meeting.Id, time.GetUtcNow(), ct);
        var excusedIds = excused.ToHashSet(StringComparer.Ordinal);
        var records = missing.Select(p => new Attendance
        {
            PartnershipId = meeting.PartnershipId,
            MeetingId = meeting.Id,
            PersonId = p.Id,
            Status = excusedIds.Contains(p.Id) ? AttendanceStatus.Excused : AttendanceStatus.Absent,
        }).ToList();
        if (records.Count > 0)
        {
            await attendanceStore.UpsertAttendanceAsync(meeting.PartnershipId, records, ct);
            var signedIn = (await signInStore.GetSheetAsync(meeting.PartnershipId, meeting.Id, ct)).SignIns.Select(s => s.PersonId).Where(missingIds.Contains).ToList();
            if (signedIn.Count > 0)
            {
                await attendanceStore.UpsertAttendanceAsync(meeting.PartnershipId, [.. signedIn.Select(id => Present(meeting, id))], ct);
            }
        }

        return (records.Count(r => r.Status == AttendanceStatus.Absent), records.Count(r => r.Status == AttendanceStatus.Excused), closedAt);
    }

    /// <summary>Confirms a typed name: the person represents the organisation they signed in for, from the meeting's day. Null when there is nothing to confirm.</summary>
    public async Task<string?> ConfirmAsync(Meeting meeting, string personId, CancellationToken ct)
    {
        var signIn = (await signInStore.GetSheetAsync(meeting.PartnershipId, meeting.Id, ct)).SignIns.FirstOrDefault(s => s.PersonId == personId && s.NewName);
        if (signIn is null)
        {
            return null;
        }

        var day = DayOf(meeting);
        var roster = await rosterStore.GetRosterAsync(meeting.PartnershipId, ct);
        if (roster.Representations.FirstOrDefault(r => r.PersonId == personId && r.OrganizationId == signIn.OrganizationId && r.IsActiveOn(day)) is { } existing)
        {
            return existing.Id;
        }

        await ingestion.UpsertRepresentationsAsync(meeting.PartnershipId, [new RepresentationInput
        {
            OrganizationId = signIn.OrganizationId,
            PersonId = personId,
            Role = WireNames.Format(RepresentationRole.Representative),
            From = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }], ct);
        return Representation.NaturalId(signIn.OrganizationId, personId, day);
    }

    private static Attendance Present(Meeting meeting, string personId) =>
        new() { PartnershipId = meeting.PartnershipId, MeetingId = meeting.Id, PersonId = personId, Status = AttendanceStatus.Present };
}
