using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using static Engagement.Storage.Sqlite.SqliteDatabase;
using static Engagement.Storage.Sqlite.SqliteRows;

namespace Engagement.Storage.Sqlite;

/// <summary>Organisations, people and representations in SQLite.</summary>
public sealed class SqliteRosterStore(SqliteDatabase db) : IRosterStore
{
    public Task<PartnershipKeys> GetKeysAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            async Task<HashSet<string>> Ids(string table)
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                await using var command = Command(connection, $"SELECT id FROM {table} WHERE partnership_id = $p0", [partnershipId]);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    set.Add(reader.GetString(0));
                }

                return set;
            }

            var emails = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var command = Command(connection, "SELECT email, id FROM people WHERE partnership_id = $p0 AND email IS NOT NULL", [partnershipId]))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    emails[reader.GetString(0)] = reader.GetString(1);
                }
            }

            return new PartnershipKeys
            {
                OrganizationIds = await Ids("organizations"),
                PersonIds = await Ids("people"),
                PersonIdsByEmail = emails,
                MeetingIds = await Ids("meetings"),
                RepresentationIds = await Ids("representations"),
            };
        });

    public Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<Organization> organizations, CancellationToken cancellationToken = default) =>
        db.UpsertAsync(SqlTables.Organizations, organizations.Select(o => new object?[] { Same(partnershipId, o.PartnershipId), o.Id, o.Name, WireNames.Format(o.Sector) }), cancellationToken);

    public Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<Person> people, CancellationToken cancellationToken = default) =>
        db.UpsertAsync(SqlTables.People, people.Select(p => new object?[] { Same(partnershipId, p.PartnershipId), p.Id, p.DisplayName, p.Email }), cancellationToken);

    public Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<Representation> representations, CancellationToken cancellationToken = default) =>
        db.UpsertAsync(SqlTables.Representations, representations.Select(r => new object?[]
        {
            Same(partnershipId, r.PartnershipId), r.Id, r.OrganizationId, r.PersonId, WireNames.Format(r.Role), Date(r.From), r.To is { } to ? Date(to) : null,
        }), cancellationToken);

    public async Task<Roster> GetRosterAsync(string partnershipId, CancellationToken cancellationToken = default) => new()
    {
        Organizations = await db.QueryAsync("SELECT partnership_id, id, name, sector FROM organizations WHERE partnership_id = $p0 ORDER BY id", [partnershipId], r => new Organization
        {
            PartnershipId = r.GetString(0), Id = r.GetString(1), Name = r.GetString(2), Sector = Parse<Sector>(r.GetString(3)),
        }, cancellationToken),
        People = await db.QueryAsync("SELECT partnership_id, id, display_name, email, erased_at FROM people WHERE partnership_id = $p0 ORDER BY id", [partnershipId], ReadPerson, cancellationToken),
        Representations = await db.QueryAsync("SELECT partnership_id, id, organization_id, person_id, role, from_date, to_date FROM representations WHERE partnership_id = $p0 ORDER BY from_date, id", [partnershipId], r => new Representation
        {
            PartnershipId = r.GetString(0),
            Id = r.GetString(1),
            OrganizationId = r.GetString(2),
            PersonId = r.GetString(3),
            Role = Parse<RepresentationRole>(r.GetString(4)),
            From = ParseDate(r.GetString(5)),
            To = r.IsDBNull(6) ? null : ParseDate(r.GetString(6)),
        }, cancellationToken),
    };
}
