using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Organisations, people and representations, in their partnership's partition.</summary>
public sealed class TableRosterStore(TableStorage storage) : IRosterStore
{
    public async Task<PartnershipKeys> GetKeysAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var people = await storage.PersonKeysAsync(partnershipId, cancellationToken);
        return new PartnershipKeys
        {
            OrganizationIds = (await storage.RangeAsync<OrganizationRow>(partnershipId, [OrganizationRow.Prefix], [nameof(OrganizationRow.Id)], cancellationToken)).Select(o => o.Id!).ToHashSet(StringComparer.Ordinal),
            PersonIds = people.Ids,
            PersonIdsByEmail = people.ByEmail,
            MeetingIds = await storage.MeetingIdsAsync(partnershipId, cancellationToken),
            RepresentationIds = (await storage.RangeAsync<RepresentationRow>(partnershipId, [RepresentationRow.Prefix], [nameof(RepresentationRow.Id)], cancellationToken)).Select(r => r.Id!).ToHashSet(StringComparer.Ordinal),
        };
    }

    public Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<Organization> organizations, CancellationToken cancellationToken = default) =>
        storage.UpsertKindAsync(partnershipId, OrganizationRow.Prefix, organizations.Select(o => OrganizationRow.From(Same(partnershipId, o.PartnershipId), o)), null, cancellationToken);

    public Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<Person> people, CancellationToken cancellationToken = default) =>
        storage.UpsertKindAsync(partnershipId, PersonRow.Prefix, people.Select(p => PersonRow.From(Same(partnershipId, p.PartnershipId), p)), KeepErasure, cancellationToken);

    public Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<Representation> representations, CancellationToken cancellationToken = default) =>
        storage.UpsertKindAsync(partnershipId, RepresentationRow.Prefix, representations.Select(r => RepresentationRow.FromRepresentation(Same(partnershipId, r.PartnershipId), r)), null, cancellationToken);

    public async Task<Roster> GetRosterAsync(string partnershipId, CancellationToken cancellationToken = default) => new()
    {
        Organizations = [.. (await storage.RangeAsync<OrganizationRow>(partnershipId, [OrganizationRow.Prefix], null, cancellationToken)).Select(o => o.ToOrganization()).OrderBy(o => o.Id, StringComparer.Ordinal)],
        People = [.. (await storage.RangeAsync<PersonRow>(partnershipId, [PersonRow.Prefix], null, cancellationToken)).Select(p => p.ToPerson()).OrderBy(p => p.Id, StringComparer.Ordinal)],
        Representations = [.. (await storage.RangeAsync<RepresentationRow>(partnershipId, [RepresentationRow.Prefix], null, cancellationToken)).Select(r => r.ToRepresentation()).OrderBy(r => r.From).ThenBy(r => r.Id, StringComparer.Ordinal)],
    };

    private static void KeepErasure(PersonRow candidate, PersonRow? stored)
    {
        // An erased person stays erased until a name or an e-mail is given again.
        if (stored?.ErasedAt is { } erasedAt && candidate.DisplayName is null && candidate.Email is null)
        {
            candidate.ErasedAt = erasedAt;
        }
    }
}
