namespace Engagement.Functions.Security;

/// <summary>Who may call an HTTP function: the roles its API key must hold.</summary>
internal enum AccessPolicy
{
    /// <summary>Anyone; a presented key is still read, so the function can tell who calls.</summary>
    Anonymous,

    /// <summary>Any valid API key, whatever its roles.</summary>
    AnyKey,

    /// <summary>Coordinator, analyst or admin.</summary>
    Read,

    /// <summary>Coordinator or admin: reads that show names and e-mails.</summary>
    ReadPersonal,

    /// <summary>Ingest, coordinator or admin.</summary>
    Write,

    /// <summary>Coordinator or admin.</summary>
    Configure,

    /// <summary>Admin only.</summary>
    Administer,
}

/// <summary>Where an HTTP function finds the partnership it touches, so a key limited to partnerships stays inside them.</summary>
internal enum PartnershipScope
{
    /// <summary>The function touches no partnership's data.</summary>
    None,

    /// <summary>The route's <c>{partnershipId}</c>; checked by the authoriser before the function runs.</summary>
    Route,

    /// <summary>The body or query names it; the function resolves it and checks the key before it reads or writes.</summary>
    Request,

    /// <summary>The function lists several partnerships and keeps only those the key may see.</summary>
    Listing,
}

/// <summary>
/// Declares, next to an HTTP function's trigger, who may call it and how its partnership is found. Every HTTP function
/// carries one; the app refuses to start otherwise. Enforced by <see cref="FunctionAuthorizer"/> in both hosts.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class AccessAttribute(AccessPolicy policy, PartnershipScope scope = PartnershipScope.None) : Attribute
{
    public AccessPolicy Policy { get; } = policy;

    public PartnershipScope Scope { get; } = scope;

    /// <summary>The roles that satisfy <paramref name="policy"/>; empty when no role is needed.</summary>
    public static IReadOnlyList<string> RolesOf(AccessPolicy policy) => policy switch
    {
        AccessPolicy.Read => [Roles.Coordinator, Roles.Analyst, Roles.Admin],
        AccessPolicy.ReadPersonal => [Roles.Coordinator, Roles.Admin],
        AccessPolicy.Write => [Roles.Ingest, Roles.Coordinator, Roles.Admin],
        AccessPolicy.Configure => [Roles.Coordinator, Roles.Admin],
        AccessPolicy.Administer => [Roles.Admin],
        _ => [],
    };
}
