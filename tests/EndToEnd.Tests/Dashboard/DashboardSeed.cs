using System.Globalization;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>A seeded meeting: its id and the day it falls on in Montréal.</summary>
internal sealed record SeededMeeting(string Id, DateOnly Day);

/// <summary>
/// The partnership whose heatmap is checked cell by cell, with what its seed implies: one row per organisation, one
/// letter per meeting (p present, e excused, a absent, v vacant, n not yet a member), and who each cell is about.
/// </summary>
internal sealed record HeatmapSeed(IReadOnlyList<SeededMeeting> Meetings, IReadOnlyDictionary<string, string> Cells, IReadOnlyDictionary<string, string?[]> People, IReadOnlyDictionary<string, string> Names);

/// <summary>
/// What the browser tests read, written through the app's HTTP API with the admin key. Dates are relative to today
/// (Montréal) because the app runs on the real clock. Each scenario that changes something has a partnership of its
/// own: p4 (alerts acknowledged and resolved from the page), p6 (the e-mail's acknowledge link), p7 (the e-mail switch),
/// p8 (the action plan imported from an Excel tracker).
/// </summary>
internal sealed class DashboardSeed(Func<HttpMethod, string, object, Task> send, DateOnly today)
{
    /// <summary>The partnership with a history of 36 months, 28 organisations, a few alerts and a CACIS diagnostic.</summary>
    public const string Realistic = "p5";

    public const string Heat = "p3";
    public const string Actions = "p4";
    public const string Link = "p6";
    public const string Emails = "p7";
    public const string Tracker = "p8";

    /// <summary>The organisations of <see cref="Tracker"/> (the tracker names them).</summary>
    public static readonly (string Id, string Name, string Sector)[] TrackerOrganizations = [("pe-cdc", "CDC Parc-Extension", "community"), ("pe-biblio", "Bibliothèque Parc-Extension", "municipal"), ("pe-ecole", "École Barthélemy-Vimont", "school")];

    public static readonly IReadOnlyDictionary<string, string> PartnershipNames = new Dictionary<string, string>
    {
        ["p1"] = "Table <b>Centre-Sud</b>",
        ["p2"] = "Comité MADA Verdun",
        [Heat] = "Table de quartier Hochelaga",
        [Actions] = "Table Rosemont",
        [Realistic] = "Table de quartier Villeray",
        [Link] = "Table Saint-Michel",
        [Emails] = "Table Ahuntsic",
        [Tracker] = "Table de quartier Parc-Extension",
    };

    public HeatmapSeed HeatmapPartnership { get; private set; } = null!;

    public async Task SeedAsync()
    {
        foreach (var (id, name) in PartnershipNames)
        {
            await send(HttpMethod.Put, $"/api/partnerships/{id}", new { name, language = "fr", coordinatorEmails = new[] { $"coordination-{id}@example.org" } });
        }

        await SeedCentreSudAsync();
        HeatmapPartnership = await SeedHeatmapAsync();
        await SeedFallingAsync(Actions, [("org-x", "Maison des jeunes Rosemont", "pers-xavier", "Xavier Lefebvre"), ("org-y", "Éco-quartier Rosemont", "pers-yasmine", "Yasmine Haddad")]);
        await SeedFallingAsync(Link, [("org-z", "Regroupement Saint-Michel", "pers-zoe", "Zoé Bélanger")]);
        await send(HttpMethod.Post, $"/api/partnerships/{Emails}/organizations", new[] { new { id = "org-a", name = "Bibliothèque Ahuntsic", sector = "municipal" } });
        await send(HttpMethod.Post, $"/api/partnerships/{Tracker}/organizations", TrackerOrganizations.Select(o => new { id = o.Id, name = o.Name, sector = o.Sector }).ToArray());
        await RealisticPartnership.SeedAsync(send, Realistic, today);
        await RealisticPlan.SeedAsync(send, Realistic, today);
    }

    private string Day(int daysAgo) => today.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A meeting in the early afternoon in Montréal, so its day is the same in every time zone the app uses.</summary>
    private object Meeting(string id, int daysAgo) => new { id, start = Day(daysAgo) + "T13:30:00-05:00", end = Day(daysAgo) + "T15:30:00-05:00" };

    /// <summary>The partnership of the first browser test (2025 meetings, a CACIS diagnostic), dated as it was written.</summary>
    private async Task SeedCentreSudAsync()
    {
        await send(HttpMethod.Post, "/api/partnerships/p1/organizations", new[] { new { id = "cdc", name = "CDC Centre-Sud", sector = "community" }, new { id = "ville", name = "Ville de Montréal", sector = "municipal" } });
        await send(HttpMethod.Post, "/api/partnerships/p1/people", new[] { new { id = "marie", displayName = "Marie" }, new { id = "jean", displayName = "Jean" } });
        await send(HttpMethod.Post, "/api/partnerships/p1/representations", new object[]
        {
            new { organizationId = "cdc", personId = "marie", role = "representative", from = "2025-01-01" },
            new { organizationId = "ville", personId = "jean", role = "representative", from = "2025-01-01", to = "2025-09-30" },
        });
        await send(HttpMethod.Post, "/api/partnerships/p1/meetings", new[]
        {
            new { id = "m1", start = "2025-10-15T13:30:00-04:00", end = "2025-10-15T16:00:00-04:00" },
            new { id = "m2", start = "2025-11-19T13:30:00-05:00", end = "2025-11-19T16:00:00-05:00" },
        });
        await send(HttpMethod.Post, "/api/attendance", new
        {
            partnershipId = "p1",
            records = new[]
            {
                new { meetingId = "m1", personId = "marie", status = "present" }, new { meetingId = "m1", personId = "jean", status = "present" },
                new { meetingId = "m2", personId = "marie", status = "present" }, new { meetingId = "m2", personId = "jean", status = "absent" },
            },
        });

        // Five community representatives answer the CACIS diagnostic, plus one municipal and one former representative.
        var ids = Enumerable.Range(1, 5).Select(i => $"c{i}").ToList();
        await send(HttpMethod.Post, "/api/partnerships/p1/organizations", ids.Select(id => new { id = $"org-{id}", name = $"Organisme {id}", sector = "community" }).ToArray());
        await send(HttpMethod.Post, "/api/partnerships/p1/people", ids.Append("v2").Select(id => new { id, displayName = $"Personne {id}", email = $"{id}@example.org" }).ToArray());
        await send(HttpMethod.Post, "/api/partnerships/p1/representations", ids.Select(id => new { organizationId = $"org-{id}", personId = id, role = "representative", from = "2025-01-01" })
            .Append(new { organizationId = "ville", personId = "v2", role = "representative", from = "2025-10-01" }).ToArray());
        await send(HttpMethod.Put, "/api/forms/cacis", new { partnershipId = "p1", kind = "diagnostic", items = Enumerable.Range(1, 18).ToDictionary(i => $"q{i}", i => i) });
        var answers = Enumerable.Range(1, 18).ToDictionary(i => $"q{i}", i => i % 3 == 0 ? "B" : "A");
        await send(HttpMethod.Post, "/api/forms/submissions", ids.Append("v2").Select((id, n) => (object)new { formId = "cacis", responseId = $"r{n}", respondent = $"{id}@example.org", submittedAt = "2025-11-20T10:00:00-05:00", answers })
            .Append(new { formId = "cacis", responseId = "r6", respondentPersonId = "jean", submittedAt = "2025-11-20T10:00:00-05:00", answers }).ToArray());
    }

    /// <summary>
    /// Three organisations over six meetings from 900 to 20 days ago: one excused and one absent (Alpha), a seat vacant
    /// between two representatives (CLSC), an organisation that joined 350 days ago and a record never taken (Ville).
    /// The meetings sit far from the 6-, 12- and 24-month limits: 2, 3, 5 and 6 of them in each window.
    /// </summary>
    private async Task<HeatmapSeed> SeedHeatmapAsync()
    {
        int[] daysAgo = [900, 600, 400, 250, 100, 20];
        var meetings = daysAgo.Select((d, i) => new SeededMeeting($"h{i + 1}", today.AddDays(-d))).ToList();
        await send(HttpMethod.Post, $"/api/partnerships/{Heat}/organizations", new[]
        {
            new { id = "org-alpha", name = "Carrefour familial Alpha", sector = "community" },
            new { id = "org-clsc", name = "CLSC Hochelaga", sector = "health-social-services" },
            new { id = "org-ville", name = "Arrondissement Mercier–Hochelaga", sector = "municipal" },
        });
        var names = new Dictionary<string, string> { ["pers-alice"] = "Alice Tremblay", ["pers-bruno"] = "Bruno Gagnon", ["pers-bea"] = "Béatrice Roy", ["pers-chloe"] = "Chloé Côté" };
        await send(HttpMethod.Post, $"/api/partnerships/{Heat}/people", names.Select(p => new { id = p.Key, displayName = p.Value }).ToArray());
        await send(HttpMethod.Post, $"/api/partnerships/{Heat}/representations", new object[]
        {
            new { organizationId = "org-alpha", personId = "pers-alice", role = "representative", from = Day(1000) },
            new { organizationId = "org-clsc", personId = "pers-bruno", role = "representative", from = Day(1000), to = Day(500) },
            new { organizationId = "org-clsc", personId = "pers-bea", role = "representative", from = Day(300) },
            new { organizationId = "org-ville", personId = "pers-chloe", role = "representative", from = Day(350) },
        });
        await send(HttpMethod.Post, $"/api/partnerships/{Heat}/meetings", meetings.Select((m, i) => Meeting(m.Id, daysAgo[i])).ToArray());
        (string Meeting, string Person, string Status)[] records =
        [
            ("h1", "pers-alice", "present"), ("h2", "pers-alice", "present"), ("h3", "pers-alice", "excused"), ("h4", "pers-alice", "present"), ("h5", "pers-alice", "absent"), ("h6", "pers-alice", "present"),
            ("h1", "pers-bruno", "present"), ("h2", "pers-bruno", "absent"),
            ("h4", "pers-bea", "present"), ("h5", "pers-bea", "present"), ("h6", "pers-bea", "excused"),
            ("h4", "pers-chloe", "absent"), ("h6", "pers-chloe", "present"),
        ];
        await send(HttpMethod.Post, "/api/attendance", new { partnershipId = Heat, records = records.Select(r => new { meetingId = r.Meeting, personId = r.Person, status = r.Status }).ToArray() });
        return new HeatmapSeed(
            meetings,
            new Dictionary<string, string> { ["Carrefour familial Alpha"] = "ppepap", ["CLSC Hochelaga"] = "pavppe", ["Arrondissement Mercier–Hochelaga"] = "nnnaap" },
            new Dictionary<string, string?[]>
            {
                ["Carrefour familial Alpha"] = ["pers-alice", "pers-alice", "pers-alice", "pers-alice", "pers-alice", "pers-alice"],
                ["CLSC Hochelaga"] = ["pers-bruno", "pers-bruno", null, "pers-bea", "pers-bea", "pers-bea"],
                ["Arrondissement Mercier–Hochelaga"] = [null, null, null, "pers-chloe", "pers-chloe", "pers-chloe"],
            },
            names);
    }

    /// <summary>Organisations whose representative came to three monthly meetings, then missed the last four: each opens a high alert.</summary>
    private async Task SeedFallingAsync(string partnershipId, (string Id, string Name, string PersonId, string Person)[] organizations)
    {
        await send(HttpMethod.Post, $"/api/partnerships/{partnershipId}/organizations", organizations.Select(o => new { id = o.Id, name = o.Name, sector = "community" }).ToArray());
        await send(HttpMethod.Post, $"/api/partnerships/{partnershipId}/people", organizations.Select(o => new { id = o.PersonId, displayName = o.Person }).ToArray());
        await send(HttpMethod.Post, $"/api/partnerships/{partnershipId}/representations", organizations.Select(o => new { organizationId = o.Id, personId = o.PersonId, role = "representative", from = Day(400) }).ToArray());
        await send(HttpMethod.Post, $"/api/partnerships/{partnershipId}/meetings", Enumerable.Range(0, 7).Select(k => Meeting($"r{k + 1}", 200 - (30 * k))).ToArray());
        await send(HttpMethod.Post, "/api/attendance", new
        {
            partnershipId,
            records = organizations.SelectMany(o => Enumerable.Range(0, 7).Select(k => new { meetingId = $"r{k + 1}", personId = o.PersonId, status = k < 3 ? "present" : "absent" })).ToArray(),
        });
    }
}
