using System.Globalization;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Core.Validation;

namespace Engagement.Graph.Groups;

/// <summary>
/// SyncGroupMembership: a Microsoft 365 group holds a partnership's representatives. A member added starts a
/// representation of their organisation; a member removed ends it — turnover, as the risk model reads it. The group's
/// delta link is the checkpoint; a member seen several times in a round takes their last state. When Graph says the
/// link is gone (410, or an expired sync state), the first round of a new delta query gives the current members, which
/// are compared with the representations this group started: only what actually changed is ended or started.
/// </summary>
/// <remarks>
/// Settings: <c>organizationId</c> (every member represents this organisation) and/or <c>domain:&lt;domain&gt;</c> =
/// organisation id (members whose e-mail is in that domain represent it); <c>role</c> (default representative).
/// A member who matches a person of the partnership by e-mail is that person; anyone else becomes a person whose
/// id is their Entra object id (so Teams reports match them too).
/// </remarks>
public sealed class GroupMembershipSync(IPartnershipStore partnershipStore, IRosterStore rosterStore, IIntegrationStore integrationStore, IMicrosoftGraph graph, TimeProvider time)
{
    /// <summary>Runs over every partnership; throws at the end if any group failed (its checkpoint stays where it was).</summary>
    public Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken) =>
        IntegrationRuns.RunAllAsync(partnershipStore, integrationStore, IntegrationKind.Group, "SyncGroupMembership", async registration => [await SyncGroupAsync(registration, cancellationToken)], cancellationToken);

    private async Task<string> SyncGroupAsync(IntegrationRegistration registration, CancellationToken cancellationToken)
    {
        var partnershipId = registration.PartnershipId;
        var groupId = registration.Id;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var prefix = $"g.{groupId}.";
        GroupMembershipDelta delta;
        IEnumerable<string> added, removed;
        var resync = false;
        try
        {
            delta = await graph.GroupMembershipDeltaAsync(groupId, registration.Checkpoint, cancellationToken);
            (added, removed) = (delta.Added, delta.Removed);
        }
        catch (DeltaExpiredException)
        {
            // The first round of a new delta query gives the current members, and its link is the one kept: a change
            // made between a separate members read and the new link would be lost.
            resync = true;
            delta = await graph.GroupMembershipDeltaAsync(groupId, null, cancellationToken);
            var current = delta.Added.ToHashSet(StringComparer.Ordinal);
            var managed = OpenGroupRepresentations(await rosterStore.GetRosterAsync(partnershipId, cancellationToken), prefix)
                .Select(r => UserOf(r, prefix)).ToHashSet(StringComparer.Ordinal);
            (added, removed) = (current.Except(managed).ToList(), managed.Except(current).ToList());
        }

        var role = Check.Enum(registration.Settings.GetValueOrDefault("role"), "role", new ValidationErrors(), RepresentationRole.Representative);
        var started = 0;
        var unmapped = 0;
        foreach (var userId in added)
        {
            var outcome = await StartAsync(registration, userId, role, prefix, today, cancellationToken);
            started += outcome == Start.Started ? 1 : 0;
            unmapped += outcome == Start.Unmapped ? 1 : 0;
        }

        var ended = await EndAsync(partnershipId, removed.ToHashSet(StringComparer.Ordinal), prefix, today, cancellationToken);
        await integrationStore.SetIntegrationCheckpointAsync(partnershipId, IntegrationKind.Group, groupId, delta.DeltaLink, cancellationToken);
        return $"{partnershipId}/{groupId}: {(resync ? "full resync; " : string.Empty)}{started} representation(s) started, {ended} ended, {unmapped} member(s) without an organisation";
    }

    private enum Start
    {
        Started,
        AlreadyOpen,
        Unmapped,
        Gone,
    }

    private async Task<Start> StartAsync(IntegrationRegistration registration, string userId, RepresentationRole role, string prefix, DateOnly today, CancellationToken cancellationToken)
    {
        var partnershipId = registration.PartnershipId;
        var user = await graph.GetUserAsync(userId, cancellationToken);
        if (user is null)
        {
            return Start.Gone;
        }

        var email = user.Email is { } e && Check.IsEmail(e.Trim()) ? e.Trim().ToLowerInvariant() : null;
        var organizationId = OrganizationOf(registration.Settings, email);
        var keys = await rosterStore.GetKeysAsync(partnershipId, cancellationToken);
        string personId;
        if (email is not null && keys.PersonIdsByEmail.TryGetValue(email, out var known))
        {
            personId = known;
        }
        else
        {
            personId = userId;
            if (!keys.PersonIds.Contains(personId))
            {
                await rosterStore.UpsertPeopleAsync(partnershipId, [new Person { PartnershipId = partnershipId, Id = personId, DisplayName = user.DisplayName, Email = email }], cancellationToken);
            }
        }

        if (organizationId is null || !keys.OrganizationIds.Contains(organizationId))
        {
            return Start.Unmapped;
        }

        var roster = await rosterStore.GetRosterAsync(partnershipId, cancellationToken);
        if (roster.Representations.Any(r => r.PersonId == personId && r.OrganizationId == organizationId && r.IsActiveOn(today)))
        {
            return Start.AlreadyOpen;
        }

        await rosterStore.UpsertRepresentationsAsync(partnershipId,
        [
            new Representation
            {
                PartnershipId = partnershipId,
                Id = $"{prefix}{userId}.{today.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}",
                OrganizationId = organizationId,
                PersonId = personId,
                Role = role,
                From = today,
            },
        ], cancellationToken);
        return Start.Started;
    }

    private async Task<int> EndAsync(string partnershipId, HashSet<string> removedUsers, string prefix, DateOnly today, CancellationToken cancellationToken)
    {
        if (removedUsers.Count == 0)
        {
            return 0;
        }

        var ending = OpenGroupRepresentations(await rosterStore.GetRosterAsync(partnershipId, cancellationToken), prefix)
            .Where(r => removedUsers.Contains(UserOf(r, prefix)))
            .Select(r => r with { To = r.From > today ? r.From : today })
            .ToList();
        if (ending.Count > 0)
        {
            await rosterStore.UpsertRepresentationsAsync(partnershipId, ending, cancellationToken);
        }

        return ending.Count;
    }

    private static IEnumerable<Representation> OpenGroupRepresentations(Roster roster, string prefix) =>
        roster.Representations.Where(r => r.Id.StartsWith(prefix, StringComparison.Ordinal) && r.To is null);

    /// <summary>The user id recorded in a representation this group started: <c>g.{group}.{user}.{yyyyMMdd}</c>.</summary>
    private static string UserOf(Representation representation, string prefix) => representation.Id[prefix.Length..representation.Id.LastIndexOf('.')];

    private static string? OrganizationOf(IReadOnlyDictionary<string, string> settings, string? email)
    {
        if (email is not null && settings.TryGetValue("domain:" + email[(email.IndexOf('@', StringComparison.Ordinal) + 1)..], out var byDomain))
        {
            return byDomain;
        }

        return settings.GetValueOrDefault("organizationId");
    }
}
