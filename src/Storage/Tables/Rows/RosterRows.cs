using Engagement.Core.Domain;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables.Rows;

/// <summary>A partner organisation, in <c>{prefix}Data</c>: PartitionKey the partnership, RowKey <c>org|id</c>.</summary>
internal sealed class OrganizationRow : TableRow
{
    public const string Prefix = "org";

    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Sector { get; set; }

    public static string Key(string id) => TableKeys.Compose(Prefix, id);

    public static OrganizationRow From(string partitionKey, Organization organization) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(organization.Id),
        Id = organization.Id,
        Name = organization.Name,
        Sector = WireNames.Format(organization.Sector),
    };

    public Organization ToOrganization() => new()
    {
        PartnershipId = PartitionKey,
        Id = Id!,
        Name = Name!,
        Sector = Parse<Sector>(Sector),
    };
}

/// <summary>A person, in <c>{prefix}Data</c>: PartitionKey the partnership, RowKey <c>person|id</c>.</summary>
internal sealed class PersonRow : TableRow
{
    public const string Prefix = "person";

    public string? Id { get; set; }

    public string? DisplayName { get; set; }

    public string? Email { get; set; }

    /// <summary>When the name and e-mail were erased (retention); kept until a name or an e-mail is given again.</summary>
    public DateTimeOffset? ErasedAt { get; set; }

    public static string Key(string id) => TableKeys.Compose(Prefix, id);

    /// <summary>The row for a person as written: <see cref="Person.ErasedAt"/> is the store's to keep, never taken from the caller.</summary>
    public static PersonRow From(string partitionKey, Person person) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(person.Id),
        Id = person.Id,
        DisplayName = person.DisplayName,
        Email = person.Email,
    };

    public Person ToPerson() => new()
    {
        PartnershipId = PartitionKey,
        Id = Id!,
        DisplayName = DisplayName,
        Email = Email,
        ErasedAt = ErasedAt,
    };
}

/// <summary>Who represents an organisation, from when to when, in <c>{prefix}Data</c>: RowKey <c>rep|id</c>.</summary>
internal sealed class RepresentationRow : TableRow
{
    public const string Prefix = "rep";

    public string? Id { get; set; }

    public string? OrganizationId { get; set; }

    public string? PersonId { get; set; }

    public string? Role { get; set; }

    /// <summary><c>yyyy-MM-dd</c>.</summary>
    public string? From { get; set; }

    /// <summary><c>yyyy-MM-dd</c>, or null while the representation is open.</summary>
    public string? To { get; set; }

    public static string Key(string id) => TableKeys.Compose(Prefix, id);

    public static RepresentationRow FromRepresentation(string partitionKey, Representation representation) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(representation.Id),
        Id = representation.Id,
        OrganizationId = representation.OrganizationId,
        PersonId = representation.PersonId,
        Role = WireNames.Format(representation.Role),
        From = Date(representation.From),
        To = representation.To is { } to ? Date(to) : null,
    };

    public Representation ToRepresentation() => new()
    {
        PartnershipId = PartitionKey,
        Id = Id!,
        OrganizationId = OrganizationId!,
        PersonId = PersonId!,
        Role = Parse<RepresentationRole>(Role),
        From = ParseDate(From!),
        To = To is { } to ? ParseDate(to) : null,
    };
}
