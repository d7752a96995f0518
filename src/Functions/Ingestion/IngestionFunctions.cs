using System.Text.Json;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Functions.Partnerships;
using Engagement.Functions.OpenApi;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Ingestion;

/// <summary>Attendance (JSON or a CSV sheet) and form submissions (ours, or Power Automate's), and form registration.</summary>
internal sealed class IngestionFunctions(IngestionService ingestion, IFormStore formStore)
{
    [Function("PostAttendance")]
    [Access(AccessPolicy.Write, PartnershipScope.Request)]
    [Tags("Attendance")]
    [Accepts(typeof(AttendanceBatchInput), "application/json", "text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", "multipart/form-data")]
    [EndpointSummary("Upserts up to 5,000 attendance records of one partnership (JSON, or a CSV sheet).")]
    public Task<Ok<WriteResponse>> PostAttendance(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "attendance")] HttpRequest request, CancellationToken cancellationToken) =>
        IngestionApi.PostAttendanceAsync(request, request.HttpContext.User, ingestion, cancellationToken);

    [Function("PostFormSubmissions")]
    [Access(AccessPolicy.Write, PartnershipScope.Request)]
    [Tags("Forms")]
    [Accepts(typeof(JsonElement), "application/json")]
    [EndpointSummary("Stores form submissions: our shape, or Power Automate's 'Get response details' body.")]
    public Task<Ok<WriteResponse>> PostSubmissions(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "forms/submissions")] HttpRequest request, CancellationToken cancellationToken) =>
        IngestionApi.PostSubmissionsAsync(request, request.HttpContext.User, ingestion, formStore, cancellationToken);

    [Function("PutForm")]
    [Access(AccessPolicy.Configure, PartnershipScope.Request)]
    [Tags("Forms")]
    [Accepts(typeof(FormInput), "application/json")]
    [EndpointSummary("Registers a form, and for a CACIS diagnostic its item mapping.")]
    public Task<Results<Created<WriteResponse>, Ok<WriteResponse>>> PutForm(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "forms/{formId}")] HttpRequest request, string formId, CancellationToken cancellationToken) =>
        IngestionApi.PutFormAsync(formId, request, request.HttpContext.User, ingestion, cancellationToken);

    [Function("GetForm")]
    [Access(AccessPolicy.Configure, PartnershipScope.Request)]
    [Tags("Forms")]
    [EndpointSummary("A registered form.")]
    public Task<Ok<FormView>> GetForm(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "forms/{formId}")] HttpRequest request, string formId, CancellationToken cancellationToken) =>
        IngestionApi.GetFormAsync(formId, request.HttpContext.User, formStore, cancellationToken);
}
