using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Xml;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Security;
using Microsoft.Extensions.Options;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace Engagement.Functions.Exports;

/// <summary>
/// The star schema as an OData v4 feed that Power BI's OData connector reads: service document, <c>$metadata</c>
/// (CSDL built with Microsoft.OData.Edm), and one entity set per table with <c>$select</c>, <c>$filter</c>
/// (eq/ne/gt/ge/lt/le joined by <c>and</c>, on the table's own columns — parsed and checked here, applied to the
/// rows read, never passed to a store query), <c>$orderby</c>, <c>$top</c>, <c>$skip</c>, <c>$count</c> and
/// server-driven paging with <c>@odata.nextLink</c>. Anything else gets a 400 that names it.
/// </summary>
internal static class ODataFeed
{
    public const string Namespace = "Engagement";
    private static readonly string[] Supported = ["$select", "$filter", "$orderby", "$top", "$skip", "$count", "$format"];

    private static readonly Dictionary<string, string[]> Identity = new(StringComparer.Ordinal)
    {
        ["fact_attendance"] = ["meeting_key", "person_key"],
        ["fact_form_answer"] = ["partnership_key", "form_id", "response_id", "question", "answer"],
        ["fact_risk_snapshot"] = ["partnership_key", "organization_key", "date_key"],
        ["fact_alert"] = ["partnership_key", "alert_id"],
    };

    /// <summary>The EDM type of a star-schema column, by the schema's naming conventions.</summary>
    public static EdmPrimitiveTypeKind TypeOf(string column) => column switch
    {
        "date_key" or "present" or "seconds_attended" or "rows" or "notifications" or "year" or "quarter" or "month" or "iso_week" or "day_of_week" or "diagnostic_item" => EdmPrimitiveTypeKind.Int32,
        "probability" => EdmPrimitiveTypeKind.Double,
        "erased" or "cancelled" or "prior_model" => EdmPrimitiveTypeKind.Boolean,
        "date" => EdmPrimitiveTypeKind.Date,
        "start" or "end" or "submitted_at" or "opened_at" or "resolved_at" => EdmPrimitiveTypeKind.DateTimeOffset,
        _ => EdmPrimitiveTypeKind.String,
    };

    public static IEdmModel Model { get; } = BuildModel();

    private static EdmModel BuildModel()
    {
        var model = new EdmModel();
        var container = new EdmEntityContainer(Namespace, "Container");
        foreach (var table in StarSchema.Tables.Values)
        {
            var type = new EdmEntityType(Namespace, table.Name);
            var id = type.AddStructuralProperty("id", EdmPrimitiveTypeKind.String, isNullable: false);
            type.AddKeys(id);
            foreach (var column in table.Columns)
            {
                type.AddStructuralProperty(column, TypeOf(column), isNullable: true);
            }

            model.AddElement(type);
            container.AddEntitySet(table.Name, type);
        }

        model.AddElement(container);
        return model;
    }

    public static IEndpointRouteBuilder MapOData(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/odata", "/odata" })
        {
            var group = app.MapGroup(prefix).WithTags("OData").RequireAuthorization(SecurityExtensions.Read);
            group.MapGet("/", (HttpRequest request) => ServiceDocument(request, prefix));
            group.MapGet("/$metadata", () => Results.Text(Csdl(), "application/xml; charset=utf-8"));
            group.MapGet("/{set}", (string set, HttpContext http, ClaimsPrincipal user, IEngagementStore store, IOptions<ExportOptions> options, TimeProvider time, CancellationToken ct) =>
                EntitySetAsync(set, prefix, http, user, store, options.Value, time, ct));
        }

        return app;
    }

    private static IResult ServiceDocument(HttpRequest request, string prefix)
    {
        var root = $"{request.Scheme}://{request.Host}{prefix}";
        var sets = StarSchema.Tables.Keys.Select(name => new Dictionary<string, string> { ["name"] = name, ["kind"] = "EntitySet", ["url"] = name });
        return Results.Json(new Dictionary<string, object> { ["@odata.context"] = $"{root}/$metadata", ["value"] = sets }, contentType: "application/json; odata.metadata=minimal");
    }

    private static string Csdl()
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(new StringWriter(builder, CultureInfo.InvariantCulture), new XmlWriterSettings { Indent = true }))
        {
            if (!CsdlWriter.TryWriteCsdl(Model, writer, CsdlTarget.OData, out var errors))
            {
                throw new InvalidOperationException("The OData model is invalid: " + string.Join("; ", errors.Select(e => e.ErrorMessage)));
            }
        }

        return builder.ToString();
    }

    private static async Task<IResult> EntitySetAsync(string set, string prefix, HttpContext http, ClaimsPrincipal user, IEngagementStore store, ExportOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!StarSchema.Tables.TryGetValue(set, out var table))
        {
            throw new NotFoundException("entitySet", $"No entity set '{Check.Shorten(set)}'; see the service document.");
        }

        var query = http.Request.Query;
        foreach (var option in query.Keys.Where(k => k.StartsWith('$') && !Supported.Contains(k, StringComparer.Ordinal)))
        {
            errors.Add(option, $"The query option '{option}' is not supported; use {string.Join(", ", Supported)}.");
        }

        var columns = table.Columns.Prepend("id").ToList();
        var select = query["$select"].FirstOrDefault() is { Length: > 0 } s ? s.Split(',').Select(c => c.Trim()).ToList() : columns;
        foreach (var column in select.Where(c => !columns.Contains(c)))
        {
            errors.Add("$select", $"'{Check.Shorten(column)}' is not a column of {set}.");
        }

        var filter = ODataFilter.Parse(query["$filter"].FirstOrDefault(), columns, errors);
        var order = ParseOrderBy(query["$orderby"].FirstOrDefault(), columns, errors);
        var top = ParseCount(query["$top"].FirstOrDefault(), "$top", errors);
        var skip = ParseCount(query["$skip"].FirstOrDefault(), "$skip", errors) ?? 0;
        var count = query["$count"].FirstOrDefault() is { } c && c.Equals("true", StringComparison.OrdinalIgnoreCase);
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors, "The OData query is not valid.");
        }

        if (string.IsNullOrWhiteSpace(options.PersonKeySecret))
        {
            throw new ExportsNotConfiguredException();
        }

        var context = new ExportContext(store, Convert.FromBase64String(options.PersonKeySecret), user.IsInRole(Roles.Pii), null, null);
        var index = columns.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        var identity = Identity.TryGetValue(set, out var keys) ? keys.Select(k => index[k]).ToArray() : [1];
        var pageSize = Math.Clamp(options.ODataPageSize, 1, 100_000);
        var wanted = top is { } t ? Math.Min(t, pageSize) : pageSize;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        async IAsyncEnumerable<object?[]> Matching()
        {
            foreach (var partnership in (await store.ListPartnershipsAsync(cancellationToken)).Where(p => user.CanAccess(p.Id)))
            {
                await foreach (var values in table.Rows(context, partnership, cancellationToken))
                {
                    object?[] row = [null, .. values];
                    row[0] = string.Join("|", identity.Select(i => ExportsApi.Cell(row[i])));
                    if (seen.Add((string)row[0]!) && filter(row, index))
                    {
                        yield return row;
                    }
                }
            }
        }

        List<object?[]> page;
        bool beyond;
        var total = 0;
        if (order.Count == 0 && !count)
        {
            // Store order needs no sort and no total: keep only this page's rows and stop at the first row after it,
            // so memory does not grow with the table and the pages before this one are not kept.
            page = new List<object?[]>(wanted);
            beyond = false;
            var position = 0;
            await foreach (var row in Matching())
            {
                if (position++ < skip)
                {
                    continue;
                }

                if (page.Count == wanted)
                {
                    beyond = true;
                    break;
                }

                page.Add(row);
            }
        }
        else
        {
            var rows = new List<object?[]>();
            await foreach (var row in Matching())
            {
                rows.Add(row);
            }

            IEnumerable<object?[]> ordered = rows;
            foreach (var (column, descending) in order.AsEnumerable().Reverse())
            {
                var i = index[column];
                ordered = descending ? ordered.OrderByDescending(r => r[i], ODataFilter.Comparer) : ordered.OrderBy(r => r[i], ODataFilter.Comparer);
            }

            page = ordered.Skip(skip).Take(wanted).ToList();
            beyond = rows.Count > skip + wanted;
            total = rows.Count;
        }

        var more = beyond && (top is not { } limit || limit > wanted);
        var root = $"{http.Request.Scheme}://{http.Request.Host}{prefix}";
        string? next = null;
        if (more)
        {
            var nextQuery = query.Where(q => q.Key is not "$skip" and not "$top").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").ToList();
            nextQuery.Add($"$skip={skip + wanted}");
            if (top is { } remaining)
            {
                nextQuery.Add($"$top={remaining - wanted}");
            }

            next = $"{root}/{set}?{string.Join('&', nextQuery)}";
        }

        await store.RecordExportAsync(new Core.Domain.ExportAudit
        {
            At = time.GetUtcNow(),
            Caller = user.Identity?.Name ?? "unknown",
            What = "odata/" + set,
            Rows = page.Count,
            PersonalData = context.IncludePersonalData,
            Filter = http.Request.QueryString.Value,
        }, CancellationToken.None);

        var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("@odata.context", $"{root}/$metadata#{set}" + (select.Count == columns.Count ? string.Empty : $"({string.Join(',', select)})"));
            if (count)
            {
                json.WriteNumber("@odata.count", total);
            }

            json.WriteStartArray("value");
            foreach (var row in page)
            {
                json.WriteStartObject();
                foreach (var column in select)
                {
                    WriteValue(json, column, row[index[column]]);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (next is not null)
            {
                json.WriteString("@odata.nextLink", next);
            }

            json.WriteEndObject();
        }

        return Results.Bytes(stream.ToArray(), "application/json; odata.metadata=minimal; charset=utf-8");
    }

    private static void WriteValue(Utf8JsonWriter json, string column, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(column);
                break;
            case bool b:
                json.WriteBoolean(column, b);
                break;
            case int i:
                json.WriteNumber(column, i);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(column, d);
                break;
            case double d:
                json.WriteString(column, double.IsNaN(d) ? "NaN" : d > 0 ? "INF" : "-INF");
                break;
            case DateTimeOffset d:
                json.WriteString(column, d.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                break;
            case DateOnly d:
                json.WriteString(column, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(column, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static List<(string Column, bool Descending)> ParseOrderBy(string? text, List<string> columns, ValidationErrors errors)
    {
        var order = new List<(string, bool)>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return order;
        }

        foreach (var part in text.Split(',').Select(p => p.Trim()))
        {
            var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is 0 or > 2 || !columns.Contains(words[0]) || (words.Length == 2 && words[1] is not ("asc" or "desc")))
            {
                errors.Add("$orderby", $"'{Check.Shorten(part)}' is not '<column> [asc|desc]' on a column of this set.");
                continue;
            }

            order.Add((words[0], words.Length == 2 && words[1] == "desc"));
        }

        return order;
    }

    private static int? ParseCount(string? text, string option, ValidationErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(option, $"'{option}' must be a whole number ≥ 0.");
        return null;
    }
}
