using System.Security.Claims;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Engagement.Functions.Partnerships;

/// <summary>Partnerships and their roster and meetings: the handlers of <see cref="PartnershipsFunctions"/>.</summary>
internal static class PartnershipsApi
{
    internal static async Task<Ok<IReadOnlyList<PartnershipView>>> ListAsync(IPartnershipStore partnershipStore, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var all = await partnershipStore.ListPartnershipsAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<PartnershipView>>([.. all.Where(p => user.CanAccess(p.Id)).Select(PartnershipView.From)]);
    }

    internal static async Task<Ok<PartnershipDetailView>> GetAsync(string partnershipId, IngestionService ingestion, IRosterStore rosterStore, TimeProvider time, CancellationToken cancellationToken)
    {
        var partnership = await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var roster = await rosterStore.GetRosterAsync(partnershipId, cancellationToken);
        return TypedResults.Ok(PartnershipDetailView.From(partnership, roster, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)));
    }

    internal static async Task<Results<Created<WriteResponse>, Ok<WriteResponse>>> PutAsync(string partnershipId, HttpRequest request, IngestionService ingestion, CancellationToken cancellationToken)
    {
        var input = await RequestBody.ReadJsonAsync<PartnershipInput>(request, RequestBody.SmallLimit, cancellationToken);
        var outcome = await ingestion.UpsertPartnershipAsync(partnershipId, input, cancellationToken);
        var body = WriteResponse.From(outcome);
        return outcome == Core.Domain.WriteOutcome.Created
            ? TypedResults.Created($"/api/partnerships/{Uri.EscapeDataString(partnershipId)}", body)
            : TypedResults.Ok(body);
    }

    internal static async Task<Ok<WriteResponse>> EndRepresentationAsync(string partnershipId, string representationId, HttpRequest request, IngestionService ingestion, CancellationToken cancellationToken)
    {
        var input = await RequestBody.ReadJsonAsync<EndRepresentationInput>(request, RequestBody.SmallLimit, cancellationToken);
        return TypedResults.Ok(WriteResponse.From(await ingestion.EndRepresentationAsync(partnershipId, representationId, input, cancellationToken)));
    }

    internal static async Task<Ok<IReadOnlyList<MeetingView>>> ListMeetingsAsync(string partnershipId, IngestionService ingestion, IAttendanceStore attendanceStore, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var meetings = await attendanceStore.ListMeetingsAsync(partnershipId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<MeetingView>>([.. meetings.Select(m => MeetingView.From(m.Meeting, new AttendanceCountsView(m.Present, m.Absent, m.Excused)))]);
    }

    internal static async Task<Ok<MeetingAttendanceView>> GetAttendanceAsync(string partnershipId, string meetingId, IngestionService ingestion, IAttendanceStore attendanceStore, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var meeting = await attendanceStore.GetMeetingAsync(partnershipId, meetingId, cancellationToken)
            ?? throw new NotFoundException("meetingId", $"Meeting '{meetingId}' does not exist in partnership '{partnershipId}'.");
        var records = await attendanceStore.GetAttendanceAsync(partnershipId, meetingId, cancellationToken);
        var views = records.Select(r => new AttendanceView(r.PersonId, Core.Domain.WireNames.Format(r.Status), r.SecondsAttended)).ToList();
        var counts = new AttendanceCountsView(
            views.Count(v => v.Status == "present"), views.Count(v => v.Status == "absent"), views.Count(v => v.Status == "excused"));
        return TypedResults.Ok(new MeetingAttendanceView(MeetingView.From(meeting, counts), views));
    }

    internal static async Task<Ok<WriteResponse>> WriteBatchAsync<T>(HttpRequest request, Func<IReadOnlyList<T?>?, Task<Core.Domain.WriteCounts>> write, CancellationToken cancellationToken)
        where T : class
    {
        var batch = await RequestBody.ReadJsonAsync<List<T?>>(request, RequestBody.BatchLimit, cancellationToken);
        return TypedResults.Ok(WriteResponse.From(await write(batch)));
    }
}
