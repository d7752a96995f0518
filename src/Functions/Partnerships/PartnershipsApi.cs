using System.Security.Claims;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Engagement.Functions.Partnerships;

/// <summary>Partnerships and their roster and meetings: <c>/api/partnerships/…</c>.</summary>
internal static class PartnershipsApi
{
    public static IEndpointRouteBuilder MapPartnerships(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/partnerships").WithTags("Partnerships");

        group.MapGet("/", ListAsync).RequireAuthorization(SecurityExtensions.Read)
            .WithSummary("Lists the partnerships this key may see.");
        group.MapGet("/{partnershipId}", GetAsync).RequireAuthorization(SecurityExtensions.ReadPersonal).RequirePartnershipAccess()
            .WithSummary("A partnership with its organisations, people and representations.");
        group.MapPut("/{partnershipId}", PutAsync).RequireAuthorization(SecurityExtensions.Configure).RequirePartnershipAccess()
            .Accepts<PartnershipInput>("application/json").WithSummary("Creates or replaces a partnership.");

        group.MapPost("/{partnershipId}/organizations", (string partnershipId, HttpRequest request, IngestionService ingestion, CancellationToken ct) =>
                WriteBatchAsync<OrganizationInput>(request, batch => ingestion.UpsertOrganizationsAsync(partnershipId, batch, ct), ct))
            .RequireAuthorization(SecurityExtensions.Write).RequirePartnershipAccess()
            .Accepts<OrganizationInput[]>("application/json").WithSummary("Upserts partner organisations.");
        group.MapPost("/{partnershipId}/people", (string partnershipId, HttpRequest request, IngestionService ingestion, CancellationToken ct) =>
                WriteBatchAsync<PersonInput>(request, batch => ingestion.UpsertPeopleAsync(partnershipId, batch, ct), ct))
            .RequireAuthorization(SecurityExtensions.Write).RequirePartnershipAccess()
            .Accepts<PersonInput[]>("application/json").WithSummary("Upserts people.");
        group.MapPost("/{partnershipId}/representations", (string partnershipId, HttpRequest request, IngestionService ingestion, CancellationToken ct) =>
                WriteBatchAsync<RepresentationInput>(request, batch => ingestion.UpsertRepresentationsAsync(partnershipId, batch, ct), ct))
            .RequireAuthorization(SecurityExtensions.Write).RequirePartnershipAccess()
            .Accepts<RepresentationInput[]>("application/json").WithSummary("Upserts representations (who represents which organisation, from when to when).");
        group.MapPost("/{partnershipId}/representations/{representationId}/end", EndRepresentationAsync)
            .RequireAuthorization(SecurityExtensions.Write).RequirePartnershipAccess()
            .Accepts<EndRepresentationInput>("application/json").WithSummary("Ends a representation on a given day (turnover).");
        group.MapPost("/{partnershipId}/meetings", (string partnershipId, HttpRequest request, IngestionService ingestion, CancellationToken ct) =>
                WriteBatchAsync<MeetingInput>(request, batch => ingestion.UpsertMeetingsAsync(partnershipId, batch, ct), ct))
            .RequireAuthorization(SecurityExtensions.Write).RequirePartnershipAccess()
            .Accepts<MeetingInput[]>("application/json").WithSummary("Upserts meetings.");

        group.MapGet("/{partnershipId}/meetings", ListMeetingsAsync).RequireAuthorization(SecurityExtensions.Read).RequirePartnershipAccess()
            .WithSummary("Meetings in start order, with attendance counts.");
        group.MapGet("/{partnershipId}/meetings/{meetingId}/attendance", GetAttendanceAsync).RequireAuthorization(SecurityExtensions.ReadPersonal).RequirePartnershipAccess()
            .WithSummary("One meeting's attendance records.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<PartnershipView>>> ListAsync(IEngagementStore store, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var all = await store.ListPartnershipsAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<PartnershipView>>([.. all.Where(p => user.CanAccess(p.Id)).Select(PartnershipView.From)]);
    }

    private static async Task<Ok<PartnershipDetailView>> GetAsync(string partnershipId, IngestionService ingestion, IEngagementStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var partnership = await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var roster = await store.GetRosterAsync(partnershipId, cancellationToken);
        return TypedResults.Ok(PartnershipDetailView.From(partnership, roster, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)));
    }

    private static async Task<Results<Created<WriteResponse>, Ok<WriteResponse>>> PutAsync(string partnershipId, HttpRequest request, IngestionService ingestion, CancellationToken cancellationToken)
    {
        var input = await RequestBody.ReadJsonAsync<PartnershipInput>(request, RequestBody.SmallLimit, cancellationToken);
        var outcome = await ingestion.UpsertPartnershipAsync(partnershipId, input, cancellationToken);
        var body = WriteResponse.From(outcome);
        return outcome == Core.Domain.WriteOutcome.Created
            ? TypedResults.Created($"/api/partnerships/{Uri.EscapeDataString(partnershipId)}", body)
            : TypedResults.Ok(body);
    }

    private static async Task<Ok<WriteResponse>> EndRepresentationAsync(string partnershipId, string representationId, HttpRequest request, IngestionService ingestion, CancellationToken cancellationToken)
    {
        var input = await RequestBody.ReadJsonAsync<EndRepresentationInput>(request, RequestBody.SmallLimit, cancellationToken);
        return TypedResults.Ok(WriteResponse.From(await ingestion.EndRepresentationAsync(partnershipId, representationId, input, cancellationToken)));
    }

    private static async Task<Ok<IReadOnlyList<MeetingView>>> ListMeetingsAsync(string partnershipId, IngestionService ingestion, IEngagementStore store, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var meetings = await store.ListMeetingsAsync(partnershipId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<MeetingView>>([.. meetings.Select(m => MeetingView.From(m.Meeting, new AttendanceCountsView(m.Present, m.Absent, m.Excused)))]);
    }

    private static async Task<Ok<MeetingAttendanceView>> GetAttendanceAsync(string partnershipId, string meetingId, IngestionService ingestion, IEngagementStore store, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var meeting = await store.GetMeetingAsync(partnershipId, meetingId, cancellationToken)
            ?? throw new NotFoundException("meetingId", $"Meeting '{meetingId}' does not exist in partnership '{partnershipId}'.");
        var records = await store.GetAttendanceAsync(partnershipId, meetingId, cancellationToken);
        var views = records.Select(r => new AttendanceView(r.PersonId, Core.Domain.WireNames.Format(r.Status), r.SecondsAttended)).ToList();
        var counts = new AttendanceCountsView(
            views.Count(v => v.Status == "present"), views.Count(v => v.Status == "absent"), views.Count(v => v.Status == "excused"));
        return TypedResults.Ok(new MeetingAttendanceView(MeetingView.From(meeting, counts), views));
    }

    private static async Task<Ok<WriteResponse>> WriteBatchAsync<T>(HttpRequest request, Func<IReadOnlyList<T?>?, Task<Core.Domain.WriteCounts>> write, CancellationToken cancellationToken)
        where T : class
    {
        var batch = await RequestBody.ReadJsonAsync<List<T?>>(request, RequestBody.BatchLimit, cancellationToken);
        return TypedResults.Ok(WriteResponse.From(await write(batch)));
    }
}
