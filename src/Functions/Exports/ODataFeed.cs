using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Security;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace Engagement.Functions.Exports;

/// <summary>
/// The star schema as an OData v4 feed that Power BI's OData connector reads: service document, <c>$metadata</c>
/// (CSDL built with Microsoft.OData.Edm), and one entity set per table with <c>$select</c>, <c>$filter</c>
/// (what Power BI folds, parsed by Microsoft.OData.Core over the same model and applied to the rows read, never passed
/// to a store query: see <see cref="ODataFilter"/>), <c>$orderby</c>, <c>$top</c>, <c>$skip</c>, <c>$count</c> and
/// server-driven paging with <c>@odata.nextLink</c>. Anything else gets a 400 that names it. A key scoped to some
/// partnerships reads only their rows, whatever the filter says: the filter only ever drops rows.
/// </summary>
internal static class ODataFeed
{
    public const string Namespace = "Engagement";
    private static readonly string[] Supported = ["$select", "$filter", "$orderby", "$top", "$skip", "$count", "$format", "$skiptoken"];

    private static readonly Dictionary<string, string[]> Identity = new(StringComparer.Ordinal)
    {
        ["fact_attendance"] = ["meeting_key", "person_key"],
        ["fact_form_answer"] = ["partnership_key", "form_id", "response_id", "question", "answer"],
        ["fact_risk_snapshot"] = ["partnership_key", "organization_key", "date_key"],
        ["fact_alert"] = ["partnership_key", "alert_id"],
        ["fact_action_status"] = ["partnership_key", "update_id"],
    };

    /// <summary>The EDM type of a star-schema column, as the schema declares it.</summary>
    public static EdmPrimitiveTypeKind TypeOf(string column) => StarSchema.ColumnTypes[column] switch
    {
        ColumnType.Integer => EdmPrimitiveTypeKind.Int32,
        ColumnType.Double => EdmPrimitiveTypeKind.Double,
        ColumnType.Boolean => EdmPrimitiveTypeKind.Boolean,
        ColumnType.Date => EdmPrimitiveTypeKind.Date,
        ColumnType.Timestamp => EdmPrimitiveTypeKind.DateTimeOffset,
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

    /// <summary>The feed's root as the caller reached it: <c>/api/odata</c>, or standalone's <c>/odata</c> alias.</summary>
    public static string Prefix(HttpRequest request) =>
        request.Path.StartsWithSegments("/odata", StringComparison.Ordinal) ? "/odata" : "/api/odata";

    internal static IResult ServiceDocument(HttpRequest request, string prefix)
    {
        var root = $"{request.Scheme}://{request.Host}{prefix}";
        var sets = StarSchema.Tables.Keys.Select(name => new Dictionary<string, string> { ["name"] = name, ["kind"] = "EntitySet", ["url"] = name });
        return Results.Json(new Dictionary<string, object> { ["@odata.context"] = $"{root}/$metadata", ["value"] = sets }, contentType: "application/json; odata.metadata=minimal");
    }

    /// <summary>The CSDL document as UTF-8 bytes, declared <c>encoding="utf-8"</c> (strict XML parsers refuse a mismatch).</summary>
    internal static byte[] Csdl()
    {
        using var bytes = new MemoryStream();
        using (var writer = XmlWriter.Create(bytes, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) }))
        {
            if (!CsdlWriter.TryWriteCsdl(Model, writer, CsdlTarget.OData, out var errors))
            {
                throw new InvalidOperationException("The OData model is invalid: " + string.Join("; ", errors.Select(e => e.ErrorMessage)));
            }
        }

        return bytes.ToArray();
    }

    internal static async Task<IResult> EntitySetAsync(string set, string prefix, HttpContext http, ClaimsPrincipal user, IPartnershipStore partnershipStore, ExportSources sources, IExportAuditStore auditStore, ExportOptions options, TimeProvider time, CancellationToken cancellationToken)
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

        var index = columns.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        var filter = ODataFilter.Parse(query["$filter"].FirstOrDefault(), set, index, errors);
        var order = ParseOrderBy(query["$orderby"].FirstOrDefault(), columns, errors);
        var top = ParseCount(query["$top"].FirstOrDefault(), "$top", errors);
        var skip = ParseCount(query["$skip"].FirstOrDefault(), "$skip", errors) ?? 0;
        var count = query["$count"].FirstOrDefault() is { } c && c.Equals("true", StringComparison.OrdinalIgnoreCase);

        // Store order without a total (what Power BI's feed asks) pages by key: the next link says where the page ended
        // and the next page starts reading there, so every page costs its own rows. $orderby and $count page by $skip.
        var keyset = order.Count == 0 && !count && table.RowsAreUnique;
        var secret = options.SecretBytes();
        SkipToken? resume = null;
        if (query["$skiptoken"].FirstOrDefault() is { } token)
        {
            resume = SkipToken.Parse(token, table, secret);
            if (!keyset)
            {
                errors.Add("$skiptoken", "'$skiptoken' only continues a feed read in store order (without $orderby and $count) through its @odata.nextLink.");
            }
            else if (resume is null)
            {
                errors.Add("$skiptoken", "'$skiptoken' is not one this feed wrote; follow @odata.nextLink as given.");
            }
        }

        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors, "The OData query is not valid.");
        }

        var context = new ExportContext(sources, secret, user.IsInRole(Roles.Pii), null, null);
        var identity = Identity.TryGetValue(set, out var keys) ? keys.Select(k => index[k]).ToArray() : [1];
        var pageSize = Math.Clamp(options.ODataPageSize, 1, 100_000);
        var wanted = top is { } t ? Math.Min(t, pageSize) : pageSize;
        var seen = table.RowsAreUnique ? null : new HashSet<string>(StringComparer.Ordinal);
        var partnerships = (await partnershipStore.ListPartnershipsAsync(cancellationToken)).Where(p => user.CanAccess(p.Id)).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        async IAsyncEnumerable<Positioned> Matching()
        {
            foreach (var partnership in partnerships)
            {
                var where = resume is null ? 1 : string.CompareOrdinal(partnership.Id, resume.PartnershipId);
                if (where < 0)
                {
                    continue;
                }

                // Tables the store resumes by key start after it; the others skip the rows already handed over.
                var skipRows = where == 0 ? resume!.Rows : 0;
                var rows = table.RowsAfter is { } after ? after(context, partnership, where == 0 ? resume!.Key : null, cancellationToken) : table.Rows(context, partnership, cancellationToken);
                long ordinal = 0;
                await foreach (var values in rows)
                {
                    if (++ordinal <= skipRows)
                    {
                        continue;
                    }

                    var row = new object?[columns.Count];
                    Array.Copy(values, 0, row, 1, columns.Count - 1);
                    row[0] = string.Join("|", identity.Select(i => ExportsApi.Cell(row[i])));
                    if ((seen is null || seen.Add((string)row[0]!)) && filter(row))
                    {
                        yield return new Positioned(row, partnership.Id, ordinal, values);
                    }
                }
            }
        }

        List<object?[]> page;
        bool beyond;
        var total = 0;
        Positioned last = default;
        if (order.Count == 0)
        {
            // Keep only this page's rows; without $count stop at the first row after the page. Memory does not grow
            // with the table.
            page = new List<object?[]>(wanted);
            beyond = false;
            await foreach (var positioned in Matching())
            {
                if (total++ < skip)
                {
                    continue;
                }

                if (page.Count == wanted)
                {
                    beyond = true;
                    if (!count)
                    {
                        break;
                    }

                    continue;
                }

                page.Add(positioned.Row);
                last = positioned;
            }
        }
        else
        {
            var rows = new List<object?[]>();
            await foreach (var positioned in Matching())
            {
                rows.Add(positioned.Row);
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
            var nextQuery = query.Where(q => q.Key is not "$skip" and not "$top" and not "$skiptoken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").ToList();
            nextQuery.Add(keyset ? $"$skiptoken={SkipToken.After(last, table, context.PersonKeySecret)}" : $"$skip={skip + wanted}");
            if (top is { } remaining)
            {
                nextQuery.Add($"$top={remaining - wanted}");
            }

            next = $"{root}/{set}?{string.Join('&', nextQuery)}";
        }

        await auditStore.RecordExportAsync(new Core.Domain.ExportAudit
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

/// <summary>A row of an entity set with where it came from: its partnership, its ordinal there, and its values as read.</summary>
internal readonly record struct Positioned(object?[] Row, string PartnershipId, long Ordinal, object?[] Values);

/// <summary>
/// Where the next page of a feed read in store order starts: after a row of one partnership, named by its resume key
/// (tables the store resumes by key) or by its ordinal in the partnership (the others). The key holds store ids (a
/// person's id among them), so the token is sealed with AES-GCM under a key derived from the person-key secret: the
/// caller sees an opaque string that every instance of the app can open, and a token altered or from another
/// installation is refused. Clients pass it back unchanged in <c>@odata.nextLink</c>.
/// </summary>
internal sealed record SkipToken(string PartnershipId, string[]? Key, long Rows)
{
    private const int NonceSize = 12, TagSize = 16;

    public static string After(Positioned last, StarTable table, byte[] secret)
    {
        string[] parts = table.RowsAfter is null
            ? [table.Name, last.PartnershipId, "n", last.Ordinal.ToString(CultureInfo.InvariantCulture)]
            : [table.Name, last.PartnershipId, "k", .. last.Values.Skip(table.Columns.Count).Select(v => (string)v!)];
        var plain = JsonSerializer.SerializeToUtf8Bytes(parts);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(SealingKey(secret), TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length));
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The token, or null when it is not one <see cref="After"/> wrote for this table with this secret.</summary>
    public static SkipToken? Parse(string text, StarTable table, byte[] secret)
    {
        string[]? parts;
        try
        {
            var sealedBytes = text.Length <= 8192 ? Base64Url.DecodeFromChars(text) : [];
            if (sealedBytes.Length < NonceSize + TagSize)
            {
                return null;
            }

            var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
            using var aes = new AesGcm(SealingKey(secret), TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), plain);
            parts = JsonSerializer.Deserialize<string[]>(plain);
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException)
        {
            return null;
        }

        return parts switch
        {
            [var name, { } partnership, "k", .. var key] when name == table.Name && table.RowsAfter is not null && key.Length > 0 && key.All(k => k is not null) => new SkipToken(partnership, key, 0),
            [var name, { } partnership, "n", { } rows] when name == table.Name && table.RowsAfter is null && long.TryParse(rows, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => new SkipToken(partnership, null, n),
            _ => null,
        };
    }

    private static byte[] SealingKey(byte[] secret) => HMACSHA256.HashData(secret, "odata $skiptoken"u8);
}
