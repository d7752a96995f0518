using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Functions.OpenApi;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Partnerships;

/// <summary>Partnerships, their roster (organisations, people, who represents whom) and meetings.</summary>
[Tags("Partnerships")]
internal sealed class PartnershipsFunctions(IngestionService ingestion, IPartnershipStore partnershipStore, IRosterStore rosterStore, IAttendanceStore attendanceStore, TimeProvider time)
{
    [Function("ListPartnerships")]
    [Access(AccessPolicy.Read, PartnershipScope.Listing)]
    [EndpointSummary("Lists the partnerships this key may see.")]
    public Task<Ok<IReadOnlyList<PartnershipView>>> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships")] HttpRequest request, CancellationToken cancellationToken) =>
        PartnershipsApi.ListAsync(partnershipStore, request.HttpContext.User, cancellationToken);

    [Function("GetPartnership")]
    [Access(AccessPolicy.ReadPersonal, PartnershipScope.Route)]
    [EndpointSummary("A partnership with its organisations, people and representations.")]
    public Task<Ok<PartnershipDetailView>> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        PartnershipsApi.GetAsync(partnershipId, ingestion, rosterStore, time, cancellationToken);

    [Function("PutPartnership")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [Accepts(typeof(PartnershipInput), "application/json")]
    [EndpointSummary("Creates or replaces a partnership.")]
    [EndpointDescription("Alerts are always recorded; alertEmails says whether they are also e-mailed to coordinatorEmails. Left out, a new partnership starts quiet (false) and an existing one keeps its setting.")]
    public Task<Results<Created<WriteResponse>, Ok<WriteResponse>>> Put(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "partnerships/{partnershipId}")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        PartnershipsApi.PutAsync(partnershipId, request, ingestion, cancellationToken);

    [Function("PostOrganizations")]
    [Access(AccessPolicy.Write, PartnershipScope.Route)]
    [Accepts(typeof(OrganizationInput[]), "application/json")]
    [EndpointSummary("Upserts partner organisations.")]
    public Task<Ok<WriteResponse>> PostOrganizations(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/organizations")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        PartnershipsApi.WriteBatchAsync<OrganizationInput>(request, batch => ingestion.UpsertOrganizationsAsync(partnershipId, batch, cancellationToken), cancellationToken);

    [Function("PostPeople")]
    [Access(AccessPolicy.Write, PartnershipScope.Route)]
    [Accepts(typeof(PersonInput[]), "application/json")]
    [EndpointSummary("Upserts people.")]
    public Task<Ok<WriteResponse>> PostPeople(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/people")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        PartnershipsApi.WriteBatchAsync<PersonInput>(request, batch => ingestion.UpsertPeopleAsync(partnershipId, batch, cancellationToken), cancellationToken);

    [Function("PostRepresentations")]
    [Access(AccessPolicy.Write, PartnershipScope.Route)]
    [Accepts(typeof(RepresentationInput[]), "application/json")]
    [EndpointSummary("Upserts representations (who represents which organisation, from when to when).")]
    public Task<Ok<WriteResponse>> PostRepresentations(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/representations")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        PartnershipsApi.WriteBatchAsync<RepresentationInput>(request, batch => ingestion.UpsertRepresentationsAsync(partnershipId, batch, cancellationToken), cancellationToken);

    [Function("EndRepresentation")]
    [Access(AccessPolicy.Write, PartnershipScope.Route)]
    [Accepts(typeof(EndRepresentationInput), "application/json")]
    [EndpointSummary("Ends a representation on a given day (turnover).")]
    public Task<Ok<WriteResponse>> EndRepresentation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/representations/{representationId}/end")] HttpRequest request,
        string partnershipId, string representationId, CancellationToken cancellationToken) =>
        PartnershipsApi.EndRepresentationAsync(partnershipId, representationId, request, ingestion, cancellationToken);

    [Function("PostMeetings")]
    [Access(AccessPolicy.Write, PartnershipScope.Route)]
    [Accepts(typeof(MeetingInput[]), "application/json")]
    [EndpointSummary("Upserts meetings.")]
    public Task<Ok<WriteResponse>> PostMeetings(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/meetings")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        PartnershipsApi.WriteBatchAsync<MeetingInput>(request, batch => ingestion.UpsertMeetingsAsync(partnershipId, batch, cancellationToken), cancellationToken);

    [Function("ListMeetings")]
    [Access(AccessPolicy.Read, PartnershipScope.Route)]
    [EndpointSummary("Meetings in start order, with attendance counts.")]
    public Task<Ok<IReadOnlyList<MeetingView>>> ListMeetings(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/meetings")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        PartnershipsApi.ListMeetingsAsync(partnershipId, ingestion, attendanceStore, cancellationToken);

    [Function("GetMeetingAttendance")]
    [Access(AccessPolicy.ReadPersonal, PartnershipScope.Route)]
    [EndpointSummary("One meeting's attendance records.")]
    public Task<Ok<MeetingAttendanceView>> GetAttendance(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/meetings/{meetingId}/attendance")] HttpRequest request,
        string partnershipId, string meetingId, CancellationToken cancellationToken) =>
        PartnershipsApi.GetAttendanceAsync(partnershipId, meetingId, ingestion, attendanceStore, cancellationToken);
}
