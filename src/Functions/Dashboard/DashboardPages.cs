using System.Security.Claims;
using Engagement.Core.Domain;
using Engagement.Functions.Dashboard.Components;
using Engagement.Functions.Problems;
using Engagement.Functions.Security;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The coordinators' dashboard: Razor components rendered on the server with inline SVG, no script and no front-end
/// build, in French or English (<c>?lang=</c>, else the partnership's language). A browser signs in by pasting its API
/// key once; an encrypted, signed, 12-hour session (never the key) then travels in an HttpOnly, SameSite=Strict
/// cookie, Secure over HTTPS, honoured only under <c>/api/dashboard</c>; the page's forms also carry an antiforgery
/// field. Every page carries a Content-Security-Policy without script.
/// </summary>
internal static class DashboardPages
{
    public const string Cookie = "ef_key";
    public const string Path = DashboardPaths.Root;

    /// <summary>The roles that may read the dashboard.</summary>
    private static readonly string[] DashboardRoles = [Roles.Coordinator, Roles.Analyst, Roles.Admin];

    internal static bool MayRead(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && DashboardRoles.Any(user.IsInRole);

    internal static IResult LoginPage(HttpRequest request, TimeProvider time)
    {
        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        var context = PageContext.For(request, language, time, showOverviewLink: false);
        return new PageResult<LoginPage>(language, new { Context = context, Action = Path + "/login?" + DashboardPaths.Lang(language) });
    }

    internal static async Task<IResult> LoginAsync(HttpRequest request, ApiKeyRegistry keys, DashboardSessions sessions, TimeProvider time)
    {
        // The sign-in form posts application/x-www-form-urlencoded; anything else is refused before it is read.
        if (!request.HasFormContentType)
        {
            throw new RequestRejectedException(StatusCodes.Status415UnsupportedMediaType, "Content-Type", $"Send the sign-in form as application/x-www-form-urlencoded (got '{request.ContentType ?? "none"}').");
        }

        var form = await request.ReadFormAsync();
        var key = form["key"].ToString().Trim();
        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        if (key.Length == 0 || keys.Find(key) is not { } entry)
        {
            return Message(request, language, time, StatusCodes.Status401Unauthorized, "Login.Refused", "Login.RefusedText", DashboardPaths.Login(language), "Login.TryAgain");
        }

        // A key that may not read the dashboard (ingest only, pii only) gets no session at all.
        if (!DashboardRoles.Any(entry.Roles.Contains))
        {
            return Message(request, language, time, StatusCodes.Status403Forbidden, "Login.NoDashboard", "Login.NoDashboardText", DashboardPaths.Login(language), "Login.TryAgain");
        }

        request.HttpContext.Response.Cookies.Append(Cookie, sessions.Create(entry), new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = request.IsHttps, Path = Path, MaxAge = DashboardSessions.Lifetime });
        return Results.Redirect(DashboardPaths.Overview(language), permanent: false, preserveMethod: false);
    }

    internal static async Task<IResult> OverviewAsync(HttpRequest request, ClaimsPrincipal user, EngagementReaders stores, TimeProvider time, CancellationToken ct)
    {
        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        if (!MayRead(user))
        {
            return Results.Redirect(DashboardPaths.Login(PageLanguages.Chosen(request)));
        }

        var context = PageContext.For(request, language, time, showOverviewLink: false);
        var sort = OverviewModel.SortOf(request, out var descending);
        var model = await OverviewModel.ReadAsync(user, stores, context.Today, sort, descending, language, ct);
        return new PageResult<OverviewPage>(language, new { Context = context, Model = model });
    }

    internal static async Task<IResult> PartnershipAsync(string partnershipId, HttpRequest request, ClaimsPrincipal user, EngagementReaders stores, byte[] personKeySecret, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, TimeProvider time, CancellationToken ct)
    {
        var (partnership, refused) = await ReadableAsync(request, partnershipId, stores, time, ct);
        if (partnership is null)
        {
            return refused!;
        }

        var language = PageLanguages.Chosen(request) ?? partnership.Language;
        var context = PageContext.For(request, language, time);
        var model = await PartnershipModel.ReadAsync(partnership, user, stores, personKeySecret, time.GetUtcNow(), PartnershipModel.PeriodOf(request), language, ct);
        if (model.CanAct)
        {
            model = model with { Antiforgery = FormToken(antiforgery, request) };
        }

        return new PageResult<PartnershipPage>(language, new { Context = context, Model = model });
    }

    internal static async Task<IResult> OrganizationAsync(string partnershipId, string organizationId, HttpRequest request, ClaimsPrincipal user, EngagementReaders stores, byte[] personKeySecret, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, TimeProvider time, CancellationToken ct)
    {
        var (partnership, refused) = await ReadableAsync(request, partnershipId, stores, time, ct);
        if (partnership is null)
        {
            return refused!;
        }

        var language = PageLanguages.Chosen(request) ?? partnership.Language;
        var context = PageContext.For(request, language, time);
        if (await OrganizationModel.ReadAsync(partnership, organizationId, user, stores, personKeySecret, time.GetUtcNow(), PartnershipModel.PeriodOf(request), ct) is not { } model)
        {
            return Message(request, language, time, StatusCodes.Status404NotFound, "NotFound.Title", "NotFound.Organization", DashboardPaths.Partnership(partnershipId, language), "Alerts.Back");
        }

        if (model.CanAct)
        {
            model = model with { Antiforgery = FormToken(antiforgery, request) };
        }

        return new PageResult<OrganizationPage>(language, new { Context = context, Model = model });
    }

    /// <summary>
    /// The partnership a page is about, when the request may read it; otherwise the answer to send instead: the sign-in
    /// page without a session that may read the dashboard, a 404 page (in the asked language) when the partnership is
    /// outside the key or unknown.
    /// </summary>
    internal static async Task<(Partnership? Partnership, IResult? Refused)> ReadableAsync(HttpRequest request, string partnershipId, EngagementReaders stores, TimeProvider time, CancellationToken ct)
    {
        var user = request.HttpContext.User;
        if (!MayRead(user))
        {
            return (null, Results.Redirect(DashboardPaths.Login(PageLanguages.Chosen(request))));
        }

        if (!user.CanAccess(partnershipId) || await stores.Partnerships.GetPartnershipAsync(partnershipId, ct) is not { } partnership)
        {
            var missing = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
            return (null, Message(request, missing, time, StatusCodes.Status404NotFound, "NotFound.Title", "NotFound.Partnership", DashboardPaths.Overview(missing), "Frame.AllPartnerships"));
        }

        return (partnership, null);
    }

    /// <summary>The antiforgery field a page's forms post back.</summary>
    internal static (string Name, string Value) FormToken(Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, HttpRequest request)
    {
        var tokens = antiforgery.GetAndStoreTokens(request.HttpContext);
        return (tokens.FormFieldName, tokens.RequestToken!);
    }

    /// <summary>A short page saying what happened, in the page's language, with a way on (strings named by their keys).</summary>
    internal static IResult Message(HttpRequest request, PartnershipLanguage language, TimeProvider time, int status, string heading, string text, string linkUrl, string linkText) =>
        new PageResult<MessagePage>(language, new { Context = PageContext.For(request, language, time), Heading = heading, Text = text, LinkUrl = linkUrl, LinkText = linkText }, status);
}
