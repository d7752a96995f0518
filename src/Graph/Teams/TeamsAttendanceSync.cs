using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Microsoft.Extensions.Options;

namespace Engagement.Graph.Teams;

/// <summary>
/// SyncTeamsAttendance: for every registered Teams meeting, reads the attendance reports of the sessions held within
/// the meeting's start and end (give or take <see cref="OccurrenceSlack"/>: a recurring series has one join link and one
/// report per occurrence) and stores each attendee as present, with seconds attended and join/leave intervals.
/// Attendees are matched to the partnership's people by e-mail or Entra id; anyone else is recorded as a guest, never
/// dropped. When a report is new, the meeting's attendance is worked out again from all its reports, so reading a
/// report twice changes nothing. A report read during or just after the meeting may be incomplete: it is read again at
/// each run until the meeting's end plus <see cref="GraphOptions.AttendanceReportGraceHours"/>, and only then added to
/// the meeting's checkpoint (after its attendance is stored, so a failed run is simply repeated by the next one), and
/// the representatives missing from every report recorded absent, unless something else was recorded for them.
/// </summary>
public sealed class TeamsAttendanceSync(IPartnershipStore partnershipStore, IRosterStore rosterStore, IAttendanceStore attendanceStore, IIntegrationStore integrationStore, IMicrosoftGraph graph, TeamsOrganizers organizers, IOptions<GraphOptions> options, TimeProvider time)
{
    /// <summary>Setting: the organiser's Entra object id, whose meetings the app may read (a UPN given at registration is stored as the id).</summary>
    public const string OrganizerSetting = "organizerUserId";

    /// <summary>Setting: the meeting's join URL.</summary>
    public const string JoinUrlSetting = "joinUrl";

    /// <summary>Setting: the online meeting id (resolved from the join URL on first sync when not given).</summary>
    public const string OnlineMeetingSetting = "onlineMeetingId";

    /// <summary>
    /// How far a report's <c>meetingStartDateTime</c> may lie before the registered meeting's start or after its end and
    /// still be a session of that meeting: early joiners, a late start and a meeting relaunched after a break fall
    /// inside; the other occurrences of a recurring series (one join link, one report per occurrence), a day or more
    /// away, fall outside and are left to the meetings registered for them.
    /// </summary>
    public static readonly TimeSpan OccurrenceSlack = TimeSpan.FromHours(3);

    /// <summary>Runs over every partnership; returns what it read and stored. Throws at the end if any meeting failed.</summary>
    public Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken) =>
        IntegrationRuns.RunAllAsync(partnershipStore, integrationStore, IntegrationKind.TeamsMeeting, "SyncTeamsAttendance", async registration => [await SyncMeetingAsync(registration, cancellationToken)], cancellationToken);

    private async Task<string> SyncMeetingAsync(IntegrationRegistration registration, CancellationToken cancellationToken)
    {
        var partnershipId = registration.PartnershipId;
        var label = $"{partnershipId}/{registration.Id}";
        var meeting = await attendanceStore.GetMeetingAsync(partnershipId, registration.Id, cancellationToken);
        if (meeting is null)
        {
            return $"{label}: the meeting no longer exists; remove its registration";
        }

        var (organizer, onlineMeetingId) = await CompleteSettingsAsync(registration, cancellationToken);
        if (onlineMeetingId is null)
        {
            return $"{label}: no online meeting of {organizer} has this join URL (yet)";
        }

        var done = registration.Checkpoint is null ? [] : JsonSerializer.Deserialize<List<string>>(registration.Checkpoint) ?? [];
        var listed = await graph.ListAttendanceReportsAsync(organizer, onlineMeetingId, cancellationToken);
        var occurrence = listed.Where(r => IsSessionOf(meeting, r)).OrderBy(r => r.Start).ToList();
        var reports = occurrence.Where(r => !done.Contains(r.Id)).ToList();
        var attendeesStored = 0;
        if (reports.Count > 0)
        {
            // The meeting's attendance is worked out again from every report of its sessions rather than added to: a
            // report read twice, or a second session read after the first, gives the same totals.
            var attendees = new List<TeamsAttendee>();
            foreach (var report in occurrence)
            {
                attendees.AddRange(await graph.ListAttendanceRecordsAsync(organizer, onlineMeetingId, report.Id, cancellationToken));
            }

            attendeesStored = await StoreAttendanceAsync(meeting, attendees, cancellationToken);
        }

        // A report read during or just after its meeting may be incomplete: it is kept as read, and the absent recorded,
        // only once the meeting's end plus the grace period has passed; until then each run reads it again.
        var now = time.GetUtcNow();
        var grace = TimeSpan.FromHours(options.Value.AttendanceReportGraceHours);
        var final = reports.Where(r => now >= SettledAt(meeting, r, grace)).ToList();
        if (final.Count > 0)
        {
            done.AddRange(final.Select(r => r.Id));
            await integrationStore.SetIntegrationCheckpointAsync(partnershipId, IntegrationKind.TeamsMeeting, registration.Id, JsonSerializer.Serialize(done), cancellationToken);
        }

        var open = reports.Except(final).ToList();
        var absent = final.Count > 0 && open.Count == 0 ? await MarkAbsentAsync(meeting, cancellationToken) : 0;
        var aside = listed.Count - occurrence.Count;
        return $"{label}: {reports.Count} new report(s), {attendeesStored} attendee record(s) stored, {absent} representative(s) absent"
            + (open.Count > 0 ? $"; {open.Count} report(s) read again until {open.Max(r => SettledAt(meeting, r, grace)).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, absences then" : string.Empty)
            + (aside > 0 ? $"; {aside} report(s) of other occurrences left aside" : string.Empty);
    }

    /// <summary>
    /// The organiser's object id and the online meeting's id, looked up when the registration lacks them and then kept
    /// with it: the meeting id from the join URL; the organiser's id from a user principal name stored before those
    /// were looked up at registration.
    /// </summary>
    private async Task<(string Organizer, string? OnlineMeetingId)> CompleteSettingsAsync(IntegrationRegistration registration, CancellationToken cancellationToken)
    {
        var settings = registration.Settings.ToDictionary(StringComparer.Ordinal);
        var (organizer, problem) = await organizers.ResolveAsync(settings[OrganizerSetting], cancellationToken);
        settings[OrganizerSetting] = organizer ?? throw new InvalidOperationException(problem);
        if (!settings.TryGetValue(OnlineMeetingSetting, out var onlineMeetingId)
            && await graph.FindOnlineMeetingIdAsync(organizer, settings[JoinUrlSetting], cancellationToken) is { } found)
        {
            settings[OnlineMeetingSetting] = onlineMeetingId = found;
        }

        if (organizer != registration.Settings[OrganizerSetting] || onlineMeetingId != registration.Settings.GetValueOrDefault(OnlineMeetingSetting))
        {
            await integrationStore.UpsertIntegrationAsync(registration with { Settings = settings }, cancellationToken);
        }

        return (organizer, onlineMeetingId);
    }

    /// <summary>When a report can be taken as complete: the meeting's end, or the session's when later, plus the grace period.</summary>
    private static DateTimeOffset SettledAt(Meeting meeting, TeamsAttendanceReport report, TimeSpan grace) =>
        (report.End is { } end && end > meeting.End ? end : meeting.End) + grace;

    /// <summary>Whether a report's session started within the meeting's start and end, give or take <see cref="OccurrenceSlack"/>.</summary>
    internal static bool IsSessionOf(Meeting meeting, TeamsAttendanceReport report) =>
        (report.Start ?? report.End) is { } start && start >= meeting.Start - OccurrenceSlack && start <= meeting.End + OccurrenceSlack;

    /// <summary>
    /// Stores everyone in the meeting's reports as present. Their seconds are the records' <c>totalAttendanceInSeconds</c>
    /// summed over the sessions: Graph sends an interval "lacking data" with no join or leave and 0 seconds, which the
    /// total still counts; such intervals are not kept.
    /// </summary>
    private async Task<int> StoreAttendanceAsync(Meeting meeting, IReadOnlyList<TeamsAttendee> attendees, CancellationToken cancellationToken)
    {
        var partnershipId = meeting.PartnershipId;
        var keys = await rosterStore.GetKeysAsync(partnershipId, cancellationToken);
        var guests = new Dictionary<string, Person>(StringComparer.Ordinal);
        var byPerson = new Dictionary<string, List<AttendanceInterval>>(StringComparer.Ordinal);
        var seconds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var attendee in attendees)
        {
            var email = attendee.Email is { } e && Check.IsEmail(e.Trim()) ? e.Trim().ToLowerInvariant() : null;
            string personId;
            if (email is not null && keys.PersonIdsByEmail.TryGetValue(email, out var byEmail))
            {
                personId = byEmail;
            }
            else if (attendee.IdentityId is { } identity && keys.PersonIds.Contains(identity))
            {
                personId = identity;
            }
            else
            {
                personId = GuestId(attendee, email);
                if (!keys.PersonIds.Contains(personId))
                {
                    guests[personId] = new Person { PartnershipId = partnershipId, Id = personId, DisplayName = Trim(attendee.DisplayName), Email = email };
                }
            }

            if (!byPerson.TryGetValue(personId, out var intervals))
            {
                byPerson[personId] = intervals = [];
            }

            intervals.AddRange(attendee.Intervals);
            seconds[personId] = seconds.GetValueOrDefault(personId) + attendee.TotalSeconds;
        }

        if (guests.Count > 0)
        {
            await rosterStore.UpsertPeopleAsync(partnershipId, [.. guests.Values], cancellationToken);
        }

        var records = byPerson.Select(pair => new Attendance
        {
            PartnershipId = partnershipId,
            MeetingId = meeting.Id,
            PersonId = pair.Key,
            Status = AttendanceStatus.Present,
            SecondsAttended = Math.Min(seconds[pair.Key], 86_400),
            Intervals = [.. pair.Value.DistinctBy(i => (i.Join.UtcTicks, i.Leave.UtcTicks)).OrderBy(i => i.Join)],
        }).ToList();
        await attendanceStore.UpsertAttendanceAsync(partnershipId, records, cancellationToken);
        return records.Count;
    }

    private async Task<int> MarkAbsentAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(meeting.Start.DateTime);
        var recorded = (await attendanceStore.GetAttendanceAsync(meeting.PartnershipId, meeting.Id, cancellationToken)).Select(a => a.PersonId).ToHashSet(StringComparer.Ordinal);
        var absent = (await rosterStore.GetRosterAsync(meeting.PartnershipId, cancellationToken)).Representations
            .Where(r => r.Role != RepresentationRole.Observer && r.IsActiveOn(day) && !recorded.Contains(r.PersonId))
            .Select(r => r.PersonId).Distinct(StringComparer.Ordinal)
            .Select(p => new Attendance { PartnershipId = meeting.PartnershipId, MeetingId = meeting.Id, PersonId = p, Status = AttendanceStatus.Absent })
            .ToList();
        if (absent.Count > 0)
        {
            await attendanceStore.UpsertAttendanceAsync(meeting.PartnershipId, absent, cancellationToken);
        }

        return absent.Count;
    }

    /// <summary>A stable id for an attendee who is nobody of the partnership: from their Entra id, else their e-mail or name.</summary>
    internal static string GuestId(TeamsAttendee attendee, string? email)
    {
        if (attendee.IdentityId is { } identity && Check.IsValidId("guest-" + identity, out _))
        {
            return "guest-" + identity;
        }

        var basis = email ?? attendee.DisplayName?.Trim().ToLowerInvariant() ?? "anonymous";
        return "guest-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(basis)))[..16];
    }

    private static string? Trim(string? name) => string.IsNullOrWhiteSpace(name) ? null : new string([.. name.Trim().Where(c => !char.IsControl(c)).Take(Check.MaxTextLength)]);
}
