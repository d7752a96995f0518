using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Engagement.Functions.Tests.ActionPlans;

/// <summary>A partnership with the organisations a seniors' committee (MADA) works with, and its tracker.</summary>
internal static class PlanScenario
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Seeds <paramref name="partnershipId"/> (two organisations) and four more of a MADA committee.</summary>
    public static async Task SeedAsync(EngagementApp app, string partnershipId = "p1", string language = "fr")
    {
        await app.SeedAsync(partnershipId);
        var admin = app.Admin();
        (await admin.PutAsJsonAsync($"/api/partnerships/{partnershipId}", new { name = "Comité MADA Centre-Sud", language, coordinatorEmails = new[] { "coord@example.org" } })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/partnerships/{partnershipId}/organizations", new object[]
        {
            new { id = "ciusss", name = "CIUSSS du Centre-Sud-de-l’Île-de-Montréal", sector = "health" },
            new { id = "fadoq", name = "FADOQ – Région Île de Montréal", sector = "community" },
            new { id = "biblio", name = "Bibliothèque Frontenac", sector = "municipal" },
            new { id = "popote", name = "Popote roulante Centre-Sud", sector = "community" },
        })).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The committee's tracker as kept in Excel: a title merged across the top and a subtitle, a header on two rows with
    /// "Échéancier" merged over "Début" and "Fin" (the other headers merged down both rows), each objective merged down
    /// its actions, dates as Excel dates and as text, organisations by name (any case, accents or not) and by id, partners
    /// separated every which way, statuses in French, a blank row between the objectives.
    /// </summary>
    public static SheetLayout Mada(SheetLayout sheet) => sheet
        .Row(1, "Plan d'action MADA 2025-2027 — Centre-Sud").Merge("A1:K1")
        .Row(2, "Mis à jour le 15 octobre 2026")
        .Row(3, "No", "Objectif", "Actions", "Porteur", "Partenaires", "Échéancier", null, "Livrables", "Ressources", "État", "Commentaires")
        .Row(4, null, null, null, null, null, "Début", "Fin")
        .Merge("F3:G3").Merge("A3:A4").Merge("B3:B4").Merge("C3:C4").Merge("D3:D4").Merge("E3:E4").Merge("H3:H4").Merge("I3:I4").Merge("J3:J4").Merge("K3:K4")
        .Row(5, "1.1", "1. Briser l’isolement des aînés", "Créer un répertoire des ressources pour aînés", "CDC Centre-Sud", "Ville de Montréal; Bibliothèque Frontenac",
            new XDate(new DateOnly(2026, 1, 15)), "2026-03-31", "Répertoire imprimé et en ligne", "Agente de milieu (2 j/sem.)", "Terminé", "Lancé au salon des aînés")
        .Row(6, "1.2", null, "Organiser des cafés-rencontres mensuels", "popote roulante centre sud", "fadoq\nbiblio",
            "01/02/2026", "31/12/2026", "10 cafés-rencontres", null, "En cours")
        .Row(7, "1.3", null, "Former des sentinelles", "ciusss", "CDC Centre-Sud, FADOQ – Région Île de Montréal",
            null, "mars 2026", null, null, "En retard", "Formatrice en congé")
        .Merge("B5:B7")
        .Row(9, "2.1", "Objectif 2 : Favoriser la participation citoyenne", "Tenir un forum citoyen", "Ville de Montréal", "CDC Centre-Sud / CIUSSS du Centre-Sud-de-l’Île-de-Montréal",
            new XDate(new DateOnly(2026, 9, 1)), new XDate(new DateOnly(2027, 5, 31)), null, null, "À venir")
        .Row(10, "2.2", null, "Publier un bulletin trimestriel", "ville", null, 2026, "En continu", "4 bulletins par année", null, "en cours")
        .Merge("B9:B10");

    public static byte[] MadaTracker(Action<SheetLayout>? edit = null) =>
        new TrackerWorkbook().Sheet("Plan 2025-2027", sheet =>
        {
            Mada(sheet);
            edit?.Invoke(sheet);
        }).Build();

    public static async Task<HttpResponseMessage> ImportAsync(HttpClient client, string partnershipId, byte[] xlsx, string contentType = XlsxType)
    {
        var content = new ByteArrayContent(xlsx);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await client.PostAsync($"/api/partnerships/{partnershipId}/plan/import", content);
    }

    public static async Task<JsonElement> ImportOkAsync(HttpClient client, string partnershipId, byte[] xlsx)
    {
        using var response = await ImportAsync(client, partnershipId, xlsx);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> PlanAsync(HttpClient client, string partnershipId = "p1")
    {
        using var response = await client.GetAsync($"/api/partnerships/{partnershipId}/plan");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static IEnumerable<JsonElement> Actions(JsonElement plan) =>
        plan.GetProperty("objectives").EnumerateArray().SelectMany(o => o.GetProperty("actions").EnumerateArray());

    public static JsonElement Action(JsonElement plan, string id) => Actions(plan).Single(a => a.GetProperty("id").GetString() == id);

    /// <summary>(created, updated, unchanged) of one kind in a write's answer.</summary>
    public static (int Created, int Updated, int Unchanged) Counts(JsonElement answer, string kind)
    {
        var counts = answer.GetProperty(kind);
        return (counts.GetProperty("created").GetInt32(), counts.GetProperty("updated").GetInt32(), counts.GetProperty("unchanged").GetInt32());
    }
}
