using Engagement.Functions.Problems;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Functions.Security;

/// <summary>
/// The one authoriser of HTTP functions, run before the function in both hosts (the worker middleware under the
/// Functions host, the standalone endpoint otherwise): reads the API key, then checks the function's declared
/// <see cref="AccessAttribute"/> — its roles, and a route's <c>{partnershipId}</c> against the key's partnerships.
/// </summary>
internal sealed class FunctionAuthorizer(ApiKeyAuthenticator authenticator)
{
    /// <summary>Sets the caller on <paramref name="http"/>; answers the refusal, or null when the call may go on.</summary>
    public ProblemResult? Authorize(HttpContext http, AccessAttribute access)
    {
        var user = authenticator.Authenticate(http.Request, out var presented);
        if (user is not null)
        {
            http.User = user;
        }

        if (access.Policy == AccessPolicy.Anonymous)
        {
            return null;
        }

        if (user is null)
        {
            var detail = presented
                ? "The API key is not valid."
                : "Send an API key in the 'Authorization: Bearer <key>' or 'x-functions-key' header.";
            return new ProblemResult(new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail }) { Challenge = "Bearer" };
        }

        var roles = AccessAttribute.RolesOf(access.Policy);
        if (roles.Count > 0 && !roles.Any(user.IsInRole))
        {
            return new ProblemResult(new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = $"This API key's roles do not allow this operation; it needs one of: {string.Join(", ", roles)}." });
        }

        if (access.Scope == PartnershipScope.Route && http.Request.RouteValues.TryGetValue("partnershipId", out var value) && value is string partnershipId && !user.CanAccess(partnershipId))
        {
            var problem = ProblemMapper.WithField(StatusCodes.Status403Forbidden, "Forbidden", "partnershipId", new PartnershipForbiddenException(partnershipId).Message);
            return new ProblemResult(problem);
        }

        return null;
    }
}
