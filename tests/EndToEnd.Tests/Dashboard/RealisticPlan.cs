using System.Globalization;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>
/// The action plan of <see cref="RealisticPartnership"/>, as its coordinator keeps it: four objectives (the report's
/// narrative written for some, not all), eleven actions led by its organisations with partners, due days around today
/// (some past: late), the coordinator's word on a few (done, on track, late with what was done and what blocks), and
/// follow-up sheets every 14 days from next week (so none is asked while the tests run).
/// </summary>
internal static class RealisticPlan
{
    /// <summary>Leads <see cref="LateAction"/>, due 45 days ago and said late since, and comes to the meetings as most do.</summary>
    public const string LateOrganization = "org-01";

    public const string LateAction = "Aide aux devoirs au primaire";

    public const string NarratedObjective = "O1";

    public static readonly string[] ObjectiveTitles = ["Renforcer la sécurité alimentaire des familles", "Briser l’isolement des aînés", "Soutenir la réussite éducative", "Améliorer le logement et le cadre de vie"];

    public static int ActionCount => Actions.Length;

    /// <summary>Id, objective, title, lead, partners, start and due (days from today), deliverables.</summary>
    private static readonly (string Id, string Objective, string Title, string Lead, string[] Partners, int? Start, int? Due, string? Deliverables)[] Actions =
    [
        ("O1.1", "O1", "Épicerie solidaire mobile", "org-11", ["org-05", "org-17"], -220, -20, "Un arrêt par semaine dans trois secteurs"),
        ("O1.2", "O1", "Ateliers de cuisine collective", "org-05", ["org-13"], -120, 90, null),
        ("O1.3", "O1", "Jardin communautaire de la rue Jarry", "org-17", ["org-26"], -300, -75, "Quarante jardinets"),
        ("O2.1", "O2", "Appels d’amitié aux aînés isolés", "org-10", ["org-09", "org-12"], -60, 60, null),
        ("O2.2", "O2", "Répertoire des ressources pour les aînés", "org-18", ["org-10"], -150, -12, "Répertoire imprimé\nRépertoire en ligne"),
        ("O2.3", "O2", "Cafés-rencontres intergénérationnels", "org-09", [], null, 150, null),
        ("O3.1", "O3", LateAction, LateOrganization, ["org-21"], -200, -45, null),
        ("O3.2", "O3", "Semaine de la persévérance scolaire", "org-02", ["org-23"], -160, -100, null),
        ("O3.3", "O3", "Camp de jour inclusif", "org-06", [], -30, 120, null),
        ("O4.1", "O4", "Porte-à-porte sur la salubrité des logements", "org-27", ["org-20", "org-26"], -90, 30, null),
        ("O4.2", "O4", "Marche exploratoire de sécurité", "org-08", ["org-19", "org-17"], -100, -5, null),
    ];

    public static async Task SeedAsync(Func<HttpMethod, string, object, Task> send, string id, DateOnly today)
    {
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string At(int days) => Day(days) + "T10:00:00-05:00";

        await send(HttpMethod.Put, $"/api/partnerships/{id}/plan", new
        {
            objectives = new object[]
            {
                new
                {
                    id = "O1", title = ObjectiveTitles[0], order = 1, description = "Axe 1 du plan de quartier 2024-2027",
                    results = "L’épicerie mobile a servi 1 240 ménages en 38 arrêts.\nLes ateliers de cuisine ont réuni 96 personnes.",
                    means = "Un camion prêté par l’arrondissement, deux bénévoles par arrêt et une subvention de Centraide.",
                    adjustments = "Les arrêts du samedi ont été déplacés au jeudi soir, plus fréquenté.",
                    learnings = "Annoncer les arrêts par les écoles rejoint des familles que nos affiches ne rejoignaient pas.",
                },
                new
                {
                    id = "O2", title = ObjectiveTitles[1], order = 2,
                    results = "Trente-deux aînés reçoivent un appel chaque semaine.",
                    means = "Une agente de milieu à mi-temps et douze bénévoles formés.",
                },
                new { id = "O3", title = ObjectiveTitles[2], order = 3 },
                new { id = "O4", title = ObjectiveTitles[3], order = 4, adjustments = "La marche exploratoire a été reportée après les travaux de la rue Villeray." },
            },
            actions = Actions.Select(a => new
            {
                id = a.Id,
                objectiveId = a.Objective,
                title = a.Title,
                leadOrganizationId = a.Lead,
                partnerOrganizationIds = a.Partners,
                startOn = a.Start is { } start ? Day(start) : null,
                dueOn = a.Due is { } due ? Day(due) : null,
                deliverables = a.Deliverables,
            }).ToArray(),
        });

        (string Action, string Status, int At, string? Done, string? Obstacles, string? Help)[] updates =
        [
            ("O1.1", "on-track", -90, "Vingt arrêts faits, la fréquentation augmente.", null, null),
            ("O1.1", "done", -18, "Trente-huit arrêts, 1 240 ménages servis.", null, null),
            ("O1.2", "on-track", -10, "Six ateliers sur douze.", null, null),
            ("O1.3", "late", -60, "Les bacs sont construits.", "Le terrain n’est toujours pas décontaminé.", "Une lettre de l’arrondissement au propriétaire du terrain."),
            ("O3.1", "late", -20, "Deux groupes sur quatre ont commencé.", "Il manque de bénévoles le mardi.", "Un appel aux bénévoles par la table."),
            ("O3.2", "done", -105, "Douze activités dans quatre écoles.", null, null),
            ("O3.3", "on-track", -7, null, null, null),
        ];
        foreach (var (action, status, at, done, obstacles, help) in updates)
        {
            await send(HttpMethod.Post, $"/api/partnerships/{id}/plan/actions/{action}/updates", new { status, at = At(at), done, obstacles, helpNeeded = help });
        }

        await send(HttpMethod.Put, $"/api/partnerships/{id}/plan/schedule", new { everyDays = 14, reminderAfterDays = 5, startOn = Day(7) });
    }
}
