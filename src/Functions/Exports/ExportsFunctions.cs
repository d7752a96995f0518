using Engagement.Core.Storage;
using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Exports;

/// <summary>The analysts' star schema: CSV downloads and the OData v4 feed Power BI reads; the audit log of both, for an admin.</summary>
internal sealed class ExportsFunctions(IPartnershipStore partnershipStore, ExportSources sources, IExportAuditStore auditStore, IOptions<ExportOptions> options, TimeProvider time, ILoggerFactory loggers)
{
    // The constraint keeps "audit" out of {file}: the Functions host tries routes in function-name order, first match
    // wins, and ExportCsv comes before ListExportAudit.
    [Function("ExportCsv")]
    [Access(AccessPolicy.Read, PartnershipScope.Listing)]
    [Tags("Exports")]
    [Microsoft.AspNetCore.Mvc.Produces("text/csv")]
    [EndpointSummary("A star-schema table as CSV: dim_partnership, dim_organization, dim_person, dim_meeting, dim_date, dim_objective, dim_action, fact_attendance, fact_form_answer, fact_risk_snapshot, fact_alert, fact_action_status. ?from=&to= (yyyy-MM-dd) filter by date.")]
    public async Task<IResult> Export(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "exports/{file}")] HttpRequest request, string file, CancellationToken cancellationToken)
    {
        await ExportsApi.ExportAsync(file, request.HttpContext, request.HttpContext.User, partnershipStore, sources, auditStore, options, time, loggers, cancellationToken);
        return Results.Empty;
    }

    [Function("ListExportAudit")]
    [Access(AccessPolicy.Administer, PartnershipScope.None)]
    [Tags("Exports")]
    [EndpointSummary("The export audit log (CSV and OData): who took which table, when, how many rows, with personal data or not, the filter; newest first, since ?since= (yyyy-MM-dd, from 00:00 UTC, or an ISO 8601 timestamp with its offset; default 30 days ago).")]
    public Task<Ok<ExportAuditLog>> ListAudit(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "audit/exports")] HttpRequest request, CancellationToken cancellationToken) =>
        ExportsApi.ListAuditAsync(request, auditStore, time, cancellationToken);

    [Function("ODataServiceDocument")]
    [Access(AccessPolicy.Read, PartnershipScope.Listing)]
    [AlsoWithoutPrefix]
    [Tags("OData")]
    [EndpointSummary("The OData v4 service document: one entity set per star-schema table.")]
    public IResult ServiceDocument([HttpTrigger(AuthorizationLevel.Function, "get", Route = "odata")] HttpRequest request) =>
        ODataFeed.ServiceDocument(request, ODataFeed.Prefix(request));

    [Function("ODataMetadata")]
    [Access(AccessPolicy.Read, PartnershipScope.Listing)]
    [AlsoWithoutPrefix]
    [Tags("OData")]
    [EndpointSummary("The OData v4 CSDL ($metadata) of the star schema.")]
    public IResult Metadata([HttpTrigger(AuthorizationLevel.Function, "get", Route = "odata/$metadata")] HttpRequest request) =>
        Results.Bytes(ODataFeed.Csdl(), "application/xml; charset=utf-8");

    // The constraint keeps "$metadata" out of {set}: the Functions host tries routes in function-name order, first match wins.
    [Function("ODataEntitySet")]
    [Access(AccessPolicy.Read, PartnershipScope.Listing)]
    [AlsoWithoutPrefix]
    [Tags("OData")]
    [EndpointSummary("An entity set with $select, $filter, $orderby, $top, $skip, $count and server paging (@odata.nextLink).")]
    public Task<IResult> EntitySet(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "odata/{set:regex(^[a-z][a-z_]*$)}")] HttpRequest request, string set, CancellationToken cancellationToken) =>
        ODataFeed.EntitySetAsync(set, ODataFeed.Prefix(request), request.HttpContext, request.HttpContext.User, partnershipStore, sources, auditStore, options.Value, time, cancellationToken);
}
