using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Security;

/// <summary>
/// Authenticates a request by its API key, read from <c>Authorization: Bearer</c> or, failing that, from the
/// Functions convention <c>x-functions-key</c>. A key limited to partnerships carries one claim per partnership.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string PartnershipClaim = "partnership";
    public const string AllPartnershipsClaim = "all-partnerships";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Find(presented) is not { } entry)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, entry.Name ?? "key") };
        claims.AddRange(entry.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(entry.Partnerships.Count == 0
            ? [new Claim(AllPartnershipsClaim, "true")]
            : entry.Partnerships.Select(p => new Claim(PartnershipClaim, p)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = PresentedKey(Request) is null
            ? "Send an API key in the 'Authorization: Bearer <key>' or 'x-functions-key' header."
            : "The API key is not valid.";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This API key's roles do not allow this operation.");
    }

    private async Task WriteProblemAsync(int status, string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7)
        {
            return authorization[7..].Trim();
        }

        var functionsKey = request.Headers["x-functions-key"].ToString();
        if (functionsKey.Length > 0)
        {
            return functionsKey.Trim();
        }

        // The dashboard's sign-in cookie counts only for reading dashboard pages: never for writes (no CSRF).
        return HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments(Dashboard.DashboardPages.Path, StringComparison.Ordinal)
            && request.Cookies.TryGetValue(Dashboard.DashboardPages.Cookie, out var cookie) && cookie.Length > 0 ? cookie : null;
    }
}

internal static class PartnershipAccess
{
    /// <summary>Whether the caller's key may touch this partnership.</summary>
    public static bool CanAccess(this ClaimsPrincipal user, string partnershipId) =>
        user.HasClaim(ApiKeyAuthenticationHandler.AllPartnershipsClaim, "true")
        || user.HasClaim(ApiKeyAuthenticationHandler.PartnershipClaim, partnershipId);

    /// <summary>Throws <see cref="PartnershipForbiddenException"/> when the key is limited to other partnerships.</summary>
    public static void RequireAccess(this ClaimsPrincipal user, string partnershipId)
    {
        if (!user.CanAccess(partnershipId))
        {
            throw new PartnershipForbiddenException(partnershipId);
        }
    }

    /// <summary>Refuses the request when the route's <c>{partnershipId}</c> is outside the key's partnerships.</summary>
    public static RouteHandlerBuilder RequirePartnershipAccess(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            if (context.HttpContext.Request.RouteValues.TryGetValue("partnershipId", out var value) && value is string id)
            {
                context.HttpContext.User.RequireAccess(id);
            }

            return await next(context);
        });
}

/// <summary>The key is valid but limited to other partnerships; answered with 403.</summary>
internal sealed class PartnershipForbiddenException(string partnershipId)
    : Exception($"This API key is not allowed to access partnership '{partnershipId}'.")
{
    public string PartnershipId { get; } = partnershipId;
}
