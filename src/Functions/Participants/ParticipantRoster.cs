using System.Text;
using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Functions.Participants;

/// <summary>A partner organisation as a participant picks it, with the names of its representatives on the day.</summary>
public sealed record PickOrganization(string Id, string Name, IReadOnlyList<PickPerson> People);

/// <summary>A representative as a participant picks their own name.</summary>
public sealed record PickPerson(string Id, string Name);

/// <summary>Why a participant's pick was refused.</summary>
public enum PickProblem
{
    None,
    NoOrganization,
    NoPerson,
    InvalidName,
}

/// <summary>Who a participant said they are: a representative they picked, or a name they typed (a person to confirm).</summary>
internal sealed record Respondent(string PersonId, string Name, string OrganizationId, string OrganizationName, bool NewName);

/// <summary>
/// Who may be picked on a participant's page: the partnership's organisations (by name), each with the people whose
/// representation covers the day (every role: a coordinator or an observer signs in too). Only names are shown — never
/// an e-mail; a representative without a name is not listed and types it.
/// </summary>
internal static class ParticipantRoster
{
    public const int MaxNameLength = 100;

    public static IReadOnlyList<PickOrganization> On(Roster roster, DateOnly day, PartnershipLanguage language)
    {
        var names = StringComparer.Create(Dashboard.PageLanguages.Culture(language), ignoreCase: true);
        var people = roster.People.Where(p => !string.IsNullOrWhiteSpace(p.DisplayName)).ToDictionary(p => p.Id, p => p.DisplayName!, StringComparer.Ordinal);
        var byOrganization = roster.Representations.Where(r => r.IsActiveOn(day) && people.ContainsKey(r.PersonId)).ToLookup(r => r.OrganizationId, StringComparer.Ordinal);
        return [.. roster.Organizations.OrderBy(o => o.Name, names).Select(o => new PickOrganization(o.Id, o.Name,
            [.. byOrganization[o.Id].Select(r => r.PersonId).Distinct(StringComparer.Ordinal).Select(id => new PickPerson(id, people[id])).OrderBy(p => p.Name, names)]))];
    }

    /// <summary>
    /// The respondent a posted pick names: one of the organisation's representatives on the day, or a typed name — the
    /// representative of that name when there is one (accents, case and spacing aside), else a new person whose id
    /// derives from the organisation and the name, created in the roster (with no representation: the coordinator
    /// confirms them) unless a previous typing created them already.
    /// </summary>
    public static async Task<(Respondent? Respondent, PickProblem Problem)> ResolveAsync(
        string partnershipId, string? organizationId, string? personId, string? typedName, DateOnly day, IRosterStore rosterStore, ParticipantLinks links, CancellationToken ct)
    {
        var roster = await rosterStore.GetRosterAsync(partnershipId, ct);
        var organization = roster.Organizations.FirstOrDefault(o => o.Id == organizationId);
        if (organization is null)
        {
            return (null, PickProblem.NoOrganization);
        }

        var representatives = On(roster, day, PartnershipLanguage.French).Single(o => o.Id == organization.Id).People;
        if (!string.IsNullOrEmpty(personId))
        {
            return representatives.FirstOrDefault(p => p.Id == personId) is { } picked
                ? (new Respondent(picked.Id, picked.Name, organization.Id, organization.Name, NewName: false), PickProblem.None)
                : (null, PickProblem.NoPerson);
        }

        if (string.IsNullOrWhiteSpace(typedName))
        {
            return (null, PickProblem.NoPerson);
        }

        if (CleanName(typedName) is not { } name)
        {
            return (null, PickProblem.InvalidName);
        }

        var key = Normalize(name);
        if (representatives.FirstOrDefault(p => Normalize(p.Name) == key) is { } known)
        {
            return (new Respondent(known.Id, known.Name, organization.Id, organization.Name, NewName: false), PickProblem.None);
        }

        var id = links.NewPersonId(partnershipId, organization.Id, key);
        if (roster.People.FirstOrDefault(p => p.Id == id) is { } typedBefore)
        {
            // Typed before (and perhaps corrected by the coordinator since): the stored name stands.
            return (new Respondent(id, typedBefore.DisplayName ?? name, organization.Id, organization.Name, NewName: true), PickProblem.None);
        }

        await rosterStore.UpsertPeopleAsync(partnershipId, [new Person { PartnershipId = partnershipId, Id = id, DisplayName = name }], ct);
        return (new Respondent(id, name, organization.Id, organization.Name, NewName: true), PickProblem.None);
    }

    /// <summary>A typed name with its spacing tidied, or null when it is not a name (too short or long, no letter, control characters).</summary>
    internal static string? CleanName(string typed)
    {
        var name = string.Join(' ', typed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return name.Length is >= 2 and <= MaxNameLength && name.Count(char.IsLetter) >= 2 && !name.Any(char.IsControl) && IsWholeUnicode(name) ? name : null;
    }

    private static bool IsWholeUnicode(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]) || text[i] == '\uFFFD')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A name compared without case, accents or extra spaces.</summary>
    internal static string Normalize(string name)
    {
        var decomposed = name.Trim().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.IsWhiteSpace(c) ? ' ' : char.ToLowerInvariant(c));
            }
        }

        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
