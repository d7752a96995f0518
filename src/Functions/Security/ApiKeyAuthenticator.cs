using System.Security.Claims;

namespace Engagement.Functions.Security;

/// <summary>
/// Reads the API key of a request from <c>Authorization: Bearer</c> or, failing that, from the Functions convention
/// <c>x-functions-key</c>, and turns it into the caller's identity. A key limited to partnerships carries one claim per
/// partnership. The dashboard's session cookie (which holds no key: <see cref="Dashboard.DashboardSessions"/>) counts
/// only under <c>/api/dashboard</c>: for reading its pages, and for the forms its partnership pages post, which are
/// refused without their antiforgery field (<see cref="Dashboard.DashboardActions"/>); never for the API.
/// </summary>
internal sealed class ApiKeyAuthenticator(ApiKeyRegistry keys, Dashboard.DashboardSessions sessions)
{
    public const string AuthenticationType = "ApiKey";
    public const string PartnershipClaim = "partnership";
    public const string AllPartnershipsClaim = "all-partnerships";

    /// <summary>The caller's identity, or null with <paramref name="presented"/> telling whether a key was sent at all.</summary>
    public ClaimsPrincipal? Authenticate(HttpRequest request, out bool presented)
    {
        var key = PresentedKey(request);
        var session = key is null ? SessionCookie(request) : null;
        presented = key is not null || session is not null;
        if ((key is not null ? keys.Find(key) : session is not null ? sessions.Read(session) : null) is not { } entry)
        {
            return null;
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, entry.Name ?? "key") };
        claims.AddRange(entry.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(entry.Partnerships.Count == 0
            ? [new Claim(AllPartnershipsClaim, "true")]
            : entry.Partnerships.Select(p => new Claim(PartnershipClaim, p)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType));
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7)
        {
            return authorization[7..].Trim();
        }

        var functionsKey = request.Headers["x-functions-key"].ToString();
        return functionsKey.Length > 0 ? functionsKey.Trim() : null;
    }

    private static string? SessionCookie(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) ? request.Path.StartsWithSegments(Dashboard.DashboardPaths.Root, StringComparison.Ordinal)
            : HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments(Dashboard.DashboardPaths.Root + "/partnerships", StringComparison.Ordinal))
            && request.Cookies.TryGetValue(Dashboard.DashboardPages.Cookie, out var cookie) && cookie.Length > 0 ? cookie : null;
}

internal static class PartnershipAccess
{
    /// <summary>Whether the caller's key may touch this partnership.</summary>
    public static bool CanAccess(this ClaimsPrincipal user, string partnershipId) =>
        user.HasClaim(ApiKeyAuthenticator.AllPartnershipsClaim, "true")
        || user.HasClaim(ApiKeyAuthenticator.PartnershipClaim, partnershipId);

    /// <summary>Throws <see cref="PartnershipForbiddenException"/> when the key is limited to other partnerships.</summary>
    public static void RequireAccess(this ClaimsPrincipal user, string partnershipId)
    {
        if (!user.CanAccess(partnershipId))
        {
            throw new PartnershipForbiddenException(partnershipId);
        }
    }
}

/// <summary>The key is valid but limited to other partnerships; answered with 403.</summary>
internal sealed class PartnershipForbiddenException(string partnershipId)
    : Exception($"This API key is not allowed to access partnership '{partnershipId}'.")
{
    public string PartnershipId { get; } = partnershipId;
}
