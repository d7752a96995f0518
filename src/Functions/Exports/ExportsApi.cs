using System.Globalization;
using System.Security.Claims;
using System.Text;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Exports;

/// <summary>One export as the audit log keeps it: when, who (the key's name), what, how many rows, with personal data or not, the filter asked for.</summary>
internal sealed record ExportAuditView(DateTimeOffset At, string Caller, string What, int Rows, bool PersonalData, string? Filter);

/// <summary>The exports since <see cref="Since"/>, newest first.</summary>
internal sealed record ExportAuditLog(DateTimeOffset Since, IReadOnlyList<ExportAuditView> Exports);

/// <summary>
/// <c>GET /api/exports/{table}.csv</c>: the star schema as CSV for Power BI (Web → CSV) or Excel — UTF-8 with BOM,
/// ISO 8601 dates, streamed partnership by partnership, cells that a spreadsheet would run as a formula neutralised.
/// Persons are pseudonymous; names and e-mails only for keys with the <c>pii</c> role. Every export is recorded in the
/// audit log (who, what, when, rows, whether personal data was included).
/// </summary>
internal static partial class ExportsApi
{
    public static IHostApplicationBuilder AddExports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PersonKeySecret>();
        builder.Services.AddSingleton<IPostConfigureOptions<ExportOptions>>(services => services.GetRequiredService<PersonKeySecret>());
        builder.Services.AddSingleton<IValidateOptions<ExportOptions>>(services => services.GetRequiredService<PersonKeySecret>());
        builder.Services.AddSingleton<ExportSources>();
        return builder;
    }

    internal static async Task ExportAsync(string file, HttpContext http, ClaimsPrincipal user, IPartnershipStore partnershipStore, ExportSources sources, IExportAuditStore auditStore, IOptions<ExportOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? file[..^4] : file;
        if (!StarSchema.Tables.TryGetValue(name, out var table))
        {
            throw new NotFoundException("table", $"No table '{Check.Shorten(name)}'; exports are {string.Join(", ", StarSchema.Tables.Keys.Select(k => k + ".csv"))}.");
        }

        var from = Check.Date(http.Request.Query["from"].FirstOrDefault(), "from", errors, required: false);
        var to = Check.Date(http.Request.Query["to"].FirstOrDefault(), "to", errors, required: false);
        if (from is { } f && to is { } t && t < f)
        {
            errors.Add("to", "'to' must not be before 'from'.");
        }

        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var context = new ExportContext(sources, options.Value.SecretBytes(), user.IsInRole(Roles.Pii), from, to);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{table.Name}.csv\"";
        var csv = new CsvWriter(http.Response.BodyWriter);
        csv.WriteHeader(table);
        var rows = 0;
        var partnerships = (await partnershipStore.ListPartnershipsAsync(cancellationToken)).Where(p => user.CanAccess(p.Id));
        await foreach (var row in RowsOf(table, context, partnerships, cancellationToken))
        {
            csv.WriteRow(row, table.Columns.Count);
            rows++;
            await csv.FlushIfFullAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);

        var caller = user.Identity?.Name ?? "unknown";
        await auditStore.RecordExportAsync(new Core.Domain.ExportAudit
        {
            At = time.GetUtcNow(),
            Caller = caller,
            What = table.Name + ".csv",
            Rows = rows,
            PersonalData = context.IncludePersonalData,
            Filter = from is null && to is null ? null : $"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}",
        }, CancellationToken.None);
        LogExport(loggers.CreateLogger("Engagement.Exports.Audit"), caller, table.Name, rows, context.IncludePersonalData, from, to);
    }

    /// <summary>How far back <c>GET /api/audit/exports</c> reads unless <c>?since=</c> says otherwise.</summary>
    internal static readonly TimeSpan DefaultAuditWindow = TimeSpan.FromDays(30);

    internal static async Task<Ok<ExportAuditLog>> ListAuditAsync(HttpRequest request, IExportAuditStore auditStore, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var since = Since(request.Query["since"].FirstOrDefault(), errors) ?? time.GetUtcNow() - DefaultAuditWindow;
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var exports = await auditStore.ListExportsAsync(since, cancellationToken);
        return TypedResults.Ok(new ExportAuditLog(since, [.. exports.Select(a => new ExportAuditView(a.At, a.Caller, a.What, a.Rows, a.PersonalData, a.Filter))]));
    }

    /// <summary><c>?since=</c>: a date (<c>yyyy-MM-dd</c>, from 00:00 UTC that day) or an ISO 8601 timestamp with its offset; null when absent.</summary>
    private static DateTimeOffset? Since(string? value, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
        }

        if (Check.TryParseTimestamp(value, out var parsed, out var hasOffset))
        {
            if (hasOffset)
            {
                return parsed;
            }

            errors.Add("since", $"'since' has no UTC offset; write it as e.g. {Check.Shorten(value.Trim())}Z, or give a date (yyyy-MM-dd).");
            return null;
        }

        errors.Add("since", $"'since' is neither a date (yyyy-MM-dd) nor an ISO 8601 timestamp with an offset (e.g. 2026-03-12T19:00:00-04:00); got '{Check.Shorten(value)}'.");
        return null;
    }

    /// <summary>
    /// The rows of <paramref name="table"/> as an export writes them: partnership by partnership in the order given, a row
    /// that several partnerships share (dim_date) once. The published datasets read the same rows.
    /// </summary>
    internal static async IAsyncEnumerable<object?[]> RowsOf(StarTable table, ExportContext context, IEnumerable<Core.Domain.Partnership> partnerships, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var written = table.RowsAreUnique ? null : new HashSet<string>(StringComparer.Ordinal);
        foreach (var partnership in partnerships)
        {
            await foreach (var row in table.Rows(context, partnership, cancellationToken))
            {
                if (written is null || written.Add(Line(row)))
                {
                    yield return row;
                }
            }
        }
    }

    /// <summary>One CSV line (RFC 4180, CRLF). Text that a spreadsheet would run as a formula gets a leading apostrophe.</summary>
    internal static string Line(object?[] values)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(Cell(values[i]));
        }

        return builder.Append("\r\n").ToString();
    }

    /// <summary>Text a spreadsheet would run as a formula (or whose first character it would eat).</summary>
    // A spreadsheet may split a cell again on its own list separator (`;` in French-Canadian Excel), so a formula can
    // start at the cell's beginning or right after any separator inside it; each such start gets a leading '.
    private static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static bool IsSeparator(char c) => c is ',' or ';' or '\t' or '\r' or '\n';

    private static bool HasFormulaStart(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsFormulaStart(text[i]) && (i == 0 || IsSeparator(text[i - 1])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text with a <c>'</c> before every formula start (at the beginning, or after a separator inside it).</summary>
    internal static string Neutralised(string text)
    {
        if (!HasFormulaStart(text))
        {
            return text;
        }

        var neutral = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsFormulaStart(text[i]) && (i == 0 || IsSeparator(text[i - 1])))
            {
                neutral.Append('\'');
            }

            neutral.Append(text[i]);
        }

        return neutral.ToString();
    }

    // Quoted whenever a reader could split it: a comma, a semicolon (the list separator of French-Canadian Excel), a
    // tab, a line break or a quote.
    private static bool NeedsQuotes(string text) => text.AsSpan().IndexOfAny(",;\t\"\n\r") >= 0;

    /// <summary>Text written as it is: nothing to neutralise, nothing to quote.</summary>
    internal static bool IsPlain(string text) => !HasFormulaStart(text) && !NeedsQuotes(text);

    internal static string Cell(object? value)
    {
        var text = value switch
        {
            null => string.Empty,
            string s => Neutralised(s),
            DateTimeOffset d => d.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        return NeedsQuotes(text) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export by {Caller}: {Table}, {Rows} rows, personal data {PersonalData}, from {From} to {To}")]
    private static partial void LogExport(ILogger logger, string caller, string table, int rows, bool personalData, DateOnly? from, DateOnly? to);
}

