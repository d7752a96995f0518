using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Engagement.Core.Domain;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The pages' one hand-written style sheet (<c>dashboard.css</c>, embedded in the assembly), inlined in every page and
/// allowed by its hash in the Content-Security-Policy: pages carry no style attribute and no script.
/// </summary>
internal static class PageStyle
{
    public static readonly string Css = ReadCss();

    /// <summary>
    /// The policy of every page: nothing but its own hashed style sheet, inline images (the SVG charts are inline
    /// elements, the favicon a data URL) and forms posted to itself; no script at all, never framed, no base
    /// URL, no referrer sent.
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static string ReadCss()
    {
        using var stream = typeof(PageStyle).Assembly.GetManifestResourceStream("Engagement.Functions.Dashboard.dashboard.css")
            ?? throw new InvalidOperationException("The dashboard's style sheet is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // One line: each source line trimmed (the sheet is written one rule per line, so nothing depends on a newline).
        return string.Concat(reader.ReadToEnd().Split('\n').Select(line => line.Trim()));
    }
}

/// <summary>The two languages of the pages, with their culture (fr-CA, en-CA) for strings, numbers and dates.</summary>
internal static class PageLanguages
{
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-CA");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-CA");

    public static CultureInfo Culture(PartnershipLanguage language) => language == PartnershipLanguage.English ? English : French;

    public static string Code(PartnershipLanguage language) => language == PartnershipLanguage.English ? "en" : "fr";

    public static PartnershipLanguage Other(PartnershipLanguage language) => language == PartnershipLanguage.English ? PartnershipLanguage.French : PartnershipLanguage.English;

    /// <summary>The language asked for with <c>?lang=fr|en</c>, if any.</summary>
    public static PartnershipLanguage? Chosen(HttpRequest request) => request.Query["lang"].FirstOrDefault() switch
    {
        "fr" => PartnershipLanguage.French,
        "en" => PartnershipLanguage.English,
        _ => null,
    };

    /// <summary>This page's address with the language replaced (its other query values kept).</summary>
    public static string Switch(HttpRequest request, PartnershipLanguage to)
    {
        var query = request.Query.Where(q => q.Key != "lang").SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? string.Empty)))
            .Append("lang=" + Code(to));
        return request.PathBase + request.Path + "?" + string.Join('&', query);
    }

    /// <summary>Runs <paramref name="action"/> with the thread's culture and UI culture set to the language's.</summary>
    public static async Task InAsync(PartnershipLanguage language, Func<Task> action)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Culture(language);
        try
        {
            await action();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}

/// <summary>
/// A page: a Razor component rendered on the server (<see cref="RazorComponentResult{TComponent}"/>) in the page's
/// language, with the security headers every page carries.
/// </summary>
internal sealed class PageResult<TComponent>(PartnershipLanguage language, object parameters, int status = StatusCodes.Status200OK) : IResult
    where TComponent : IComponent
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var headers = httpContext.Response.Headers;
        headers.ContentSecurityPolicy = PageStyle.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        headers.ContentLanguage = PageLanguages.Culture(language).Name;
        var result = new RazorComponentResult<TComponent>(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8", PreventStreamingRendering = true };
        return PageLanguages.InAsync(language, () => result.ExecuteAsync(httpContext));
    }
}
