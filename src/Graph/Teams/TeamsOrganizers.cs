using Engagement.Core.Validation;
using Microsoft.Extensions.Options;

namespace Engagement.Graph.Teams;

/// <summary>
/// A Teams meeting's organiser as the onlineMeetings API needs them: by Entra object id. People know the organiser by
/// their user principal name (the one with an @), which Graph turns into the object id (<c>GET /users/{upn}</c>).
/// </summary>
public sealed class TeamsOrganizers(IMicrosoftGraph graph, IOptions<GraphOptions> options)
{
    /// <summary>
    /// The organiser's object id: an id is kept as given, a user principal name is looked up. Without an id, the reason,
    /// ready to be shown against the setting.
    /// </summary>
    public async Task<(string? Id, string? Problem)> ResolveAsync(string organizer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organizer);
        if (!organizer.Contains('@', StringComparison.Ordinal))
        {
            return (organizer, null);
        }

        if (!Check.IsEmail(organizer))
        {
            return (null, $"'{organizer}' is neither an Entra object id nor a user principal name (name@domain).");
        }

        if (!options.Value.IsConfigured)
        {
            return (null, $"'{organizer}' is a user principal name, and the meetings API needs the organiser's Entra object id, which Microsoft Graph is not configured to look up (Graph:TenantId and Graph:ClientId, see docs/graph-setup.md): give the object id instead.");
        }

        try
        {
            return await graph.GetUserAsync(organizer, cancellationToken) is { } user
                ? (user.Id, null)
                : (null, $"No user of the directory has the user principal name '{organizer}': give the organiser's user principal name or Entra object id.");
        }
        catch (Microsoft.Kiota.Abstractions.ApiException ex) when (ex.ResponseStatusCode is 401 or 403)
        {
            // The app may not read users (User.Read.All is not granted): the caller can still give the object id.
            return (null, $"Microsoft Graph refused to look up '{organizer}' ({ex.ResponseStatusCode}): the app needs the User.Read.All application permission to turn a user principal name into an object id (docs/graph-setup.md); give the organiser's Entra object id instead.");
        }
    }
}
