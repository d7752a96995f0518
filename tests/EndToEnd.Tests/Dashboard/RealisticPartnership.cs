using System.Globalization;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>
/// A neighbourhood round table as a steering committee sees it in its yearly review: 28 organisations of six sectors,
/// a meeting every month but July for three years (11 in the last 12 months, the latest ten days ago), representatives who hand
/// over with a vacant stretch between them, organisations that joined eight months ago, a seat vacant today, three
/// organisations whose representative stopped coming (high alerts), and a CACIS diagnostic. Random but seeded: the same
/// partnership every run, relative to today.
/// </summary>
internal static class RealisticPartnership
{
    private static readonly (string Name, string Sector)[] Organizations =
    [
        ("Centre communautaire Villeray", "community"), ("Maison de quartier Villeray", "community"), ("Carrefour jeunesse-emploi Centre-Nord", "community"),
        ("Joujouthèque Villeray", "community"), ("Service d’aide aux familles", "community"), ("Cuisine collective Villeray", "community"),
        ("Patro Villeray", "community"), ("Regroupement des aidants naturels", "community"), ("Centre des femmes de Villeray", "community"),
        ("Maison des grands-parents", "community"), ("Table des aînés de Villeray", "community"), ("Comptoir alimentaire Villeray", "community"),
        ("CIUSSS du Nord-de-l’Île-de-Montréal", "health-social-services"), ("CLSC de Villeray", "health-social-services"), ("Clinique communautaire Villeray", "health-social-services"),
        ("Santé publique, secteur Nord", "health-social-services"), ("Centre de réadaptation Villeray", "health-social-services"),
        ("Arrondissement Villeray–Saint-Michel–Parc-Extension", "municipal"), ("Bibliothèque de Villeray", "municipal"), ("Poste de quartier 31", "municipal"),
        ("Office municipal d’habitation", "municipal"), ("École Hélène-Boullé", "school"), ("Centre de services scolaire de Montréal", "school"),
        ("École Joseph-François-Perrault", "school"), ("Société de développement commercial Villeray", "business"), ("Caisse Desjardins du Centre-Nord", "business"),
        ("Comité citoyen Villeray", "citizen"), ("Association des locataires de Villeray", "citizen"),
    ];

    private static readonly string[] FirstNames = ["Amélie", "Benoît", "Camille", "Denis", "Élise", "François", "Geneviève", "Hugo", "Isabelle", "Jérôme", "Karine", "Louis", "Mélanie", "Nicolas", "Océane", "Pascal", "Rachel", "Sébastien", "Tania", "Vincent"];

    private static readonly string[] LastNames = ["Bouchard", "Caron", "Dubé", "Fortin", "Girard", "Lavoie", "Morin", "Ouellet", "Pelletier", "Simard", "Thibault", "Vachon"];

    /// <summary>Handed over 300 days ago, the next representative came 220 days ago.</summary>
    private static readonly int[] HandOvers = [4, 13, 19];

    /// <summary>Joined 240 days ago.</summary>
    private static readonly int[] Newcomers = [25, 26, 27];

    /// <summary>Present until the last four meetings, then absent: a high alert each.</summary>
    public static readonly int[] Falling = [2, 15, 22];

    /// <summary>The first of them, whose organisation page shows its alert and attendance.</summary>
    public static string FallingOrganization => Org(Falling[0]);

    /// <summary>Its representative left 60 days ago and nobody replaced them.</summary>
    private const int LeftVacant = 9;

    public static int OrganizationCount => Organizations.Length;

    public static async Task SeedAsync(Func<HttpMethod, string, object, Task> send, string id, DateOnly today)
    {
        string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var random = new Random(16);
        var meetings = Enumerable.Range(0, 36).Select(k => today.AddDays(-10).AddMonths(-k)).Where(d => d.Month != 7).OrderBy(d => d).ToList();

        await send(HttpMethod.Post, $"/api/partnerships/{id}/organizations", Organizations.Select((o, i) => new { id = Org(i), name = o.Name, sector = o.Sector }).ToArray());
        var people = new List<object>();
        var representations = new List<object>();
        var seats = new List<(int Organization, string Person, DateOnly From, DateOnly? To)>();
        for (var i = 0; i < Organizations.Length; i++)
        {
            var first = Newcomers.Contains(i) ? today.AddDays(-240) : meetings[0].AddDays(-40);
            DateOnly? until = HandOvers.Contains(i) ? today.AddDays(-300) : i == LeftVacant ? today.AddDays(-60) : null;
            seats.Add((i, $"pers-{i:D2}a", first, until));
            if (HandOvers.Contains(i))
            {
                seats.Add((i, $"pers-{i:D2}b", today.AddDays(-220), null));
            }
        }

        foreach (var (organization, person, from, to) in seats)
        {
            people.Add(new { id = person, displayName = $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}", email = $"{person}@villeray.example" });
            representations.Add(to is { } end
                ? new { organizationId = Org(organization), personId = person, role = "representative", from = Day(from), to = Day(end) }
                : (object)new { organizationId = Org(organization), personId = person, role = "representative", from = Day(from) });
        }

        await send(HttpMethod.Post, $"/api/partnerships/{id}/people", people.ToArray());
        await send(HttpMethod.Post, $"/api/partnerships/{id}/representations", representations.ToArray());
        await send(HttpMethod.Post, $"/api/partnerships/{id}/meetings", meetings.Select((d, k) => new { id = $"v{k + 1:D2}", start = Day(d) + "T18:30:00-05:00", end = Day(d) + "T20:30:00-05:00" }).ToArray());

        var records = new List<object>();
        for (var k = 0; k < meetings.Count; k++)
        {
            foreach (var (organization, person, from, to) in seats.Where(s => s.From <= meetings[k] && (s.To is null || s.To >= meetings[k])))
            {
                var draw = random.NextDouble();
                var status = Falling.Contains(organization) ? (k < meetings.Count - 4 ? "present" : "absent")
                    : draw < 0.84 ? "present" : draw < 0.93 ? "excused" : "absent";
                records.Add(new { meetingId = $"v{k + 1:D2}", personId = person, status });
            }
        }

        await send(HttpMethod.Post, "/api/attendance", new { partnershipId = id, records });

        // The CACIS diagnostic, answered by the representatives of the community organisations and of health and social
        // services (groups of 5 or more are drawn), and by two schools (too few to be shown).
        await send(HttpMethod.Put, $"/api/forms/cacis-{id}", new { partnershipId = id, kind = "diagnostic", items = Enumerable.Range(1, 18).ToDictionary(i => $"q{i}", i => i) });
        var respondents = Enumerable.Range(0, 7).Concat(Enumerable.Range(12, 5)).Concat([21, 22]).ToList();
        await send(HttpMethod.Post, "/api/forms/submissions", respondents.Select((o, n) => new
        {
            formId = $"cacis-{id}",
            responseId = $"d{n}",
            respondentPersonId = $"pers-{o:D2}a",
            submittedAt = Day(today.AddDays(-45)) + "T10:00:00-05:00",
            answers = Enumerable.Range(1, 18).ToDictionary(i => $"q{i}", _ => random.NextDouble() < (o < 12 ? 0.7 : 0.45) ? "A" : "B"),
        }).ToArray());
    }

    private static string Org(int index) => $"org-{index:D2}";
}
