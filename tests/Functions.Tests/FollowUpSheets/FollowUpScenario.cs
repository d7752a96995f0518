using System.Text;
using System.Text.RegularExpressions;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.FollowUpSheets;

/// <summary>
/// What the follow-up sheets' tests share: partnership p1 seeded (cdc: Marie and Luc; ville: Jean; an organisation
/// whose seat is vacant), its action plan (six actions: four to ask, one done, one not started yet) and a schedule of
/// rounds every 14 days from the app's first day with a reminder after 5 days.
/// </summary>
internal static partial class FollowUpScenario
{
    public const string PublicBaseUrl = "https://engagement.example.org";

    /// <summary>The first round: the Montréal day of <see cref="EngagementApp.Start"/>.</summary>
    public static readonly DateOnly FirstRound = new(2026, 11, 1);

    public static readonly FollowUpSchedule Schedule = new() { PartnershipId = "p1", EveryDays = 14, ReminderAfterDays = 5, StartOn = FirstRound };

    public static async Task<EngagementApp> StartAsync(Dictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string> { ["Participants:PublicBaseUrl"] = PublicBaseUrl };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var app = new EngagementApp(all);
        await SeedAsync(app, "p1");
        await Plans(app).SetScheduleAsync(Schedule);
        return app;
    }

    /// <summary>The roster of <see cref="EngagementApp.SeedAsync"/> with Luc's e-mail and seat at the CDC, a vacant organisation, and the plan.</summary>
    public static async Task SeedAsync(EngagementApp app, string partnershipId)
    {
        await app.SeedAsync(partnershipId);
        var stores = app.Services.GetRequiredService<EngagementStores>();
        await stores.Roster.UpsertPeopleAsync(partnershipId, [new Person { PartnershipId = partnershipId, Id = "luc", DisplayName = "Luc Gagnon", Email = "luc@example.org" }]);
        await stores.Roster.UpsertRepresentationsAsync(partnershipId, [new Representation { PartnershipId = partnershipId, Id = "cdc.luc.20250101", OrganizationId = "cdc", PersonId = "luc", From = new DateOnly(2025, 1, 1) }]);
        await stores.Roster.UpsertOrganizationsAsync(partnershipId, [new Organization { PartnershipId = partnershipId, Id = "vacant", Name = "Maison des familles" }]);
        var recorded = EngagementApp.Start.AddDays(-10);
        PlanAction Action(string id, string objective, string title, string lead) =>
            new() { PartnershipId = partnershipId, Id = id, ObjectiveId = objective, Title = title, LeadOrganizationId = lead };
        await Plans(app).UpsertPlanAsync(
            partnershipId,
            [
                new Objective { PartnershipId = partnershipId, Id = "O1", Title = "Briser l’isolement des aînés", Order = 1 },
                new Objective { PartnershipId = partnershipId, Id = "O2", Title = "Mieux informer les familles", Order = 2 },
            ],
            [
                Action("A1", "O1", "Publier le bottin des ressources", "cdc") with { PartnerOrganizationIds = ["ville"], DueOn = new DateOnly(2026, 12, 15), Deliverables = "Bottin imprimé (500 exemplaires)\nVersion en ligne" },
                Action("A2", "O1", "Former les bénévoles", "cdc"),
                Action("A3", "O2", "Tenir deux kiosques d’information", "ville") with { DueOn = new DateOnly(2027, 3, 31) },
                Action("A4", "O2", "Sonder les familles", "vacant"),
                Action("A5", "O2", "Créer le comité de suivi", "ville"),
                Action("A6", "O1", "Fête de quartier", "cdc") with { StartOn = new DateOnly(2027, 5, 1) },
            ],
            [
                new ActionUpdate { PartnershipId = partnershipId, ActionId = "A5", Id = "coordinator.A5.1", At = recorded, Status = ActionStatus.Done, Source = ActionUpdateSource.Coordinator },
            ],
            recorded);
    }

    public static IActionPlanStore Plans(EngagementApp app) => app.Services.GetRequiredService<IActionPlanStore>();

    public static IAlertStore Outbox(EngagementApp app) => app.Services.GetRequiredService<IAlertStore>();

    public static async Task<ActionPlan> PlanAsync(EngagementApp app, string partnershipId = "p1") => await Plans(app).GetPlanAsync(partnershipId);

    /// <summary>Runs a timer by hand, as an admin does (POST /{Name}).</summary>
    public static async Task<HttpResponseMessage> RunAsync(EngagementApp app, string timer) =>
        await app.Admin().PostAsync($"/{timer}", new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));

    [GeneratedRegex(@"https://engagement\.example\.org(/api/follow-up\?\S+)")]
    private static partial Regex SheetLink();

    /// <summary>The sheets' links an e-mail's text holds (path and query), in its order.</summary>
    public static IReadOnlyList<string> LinksIn(string? text) => [.. SheetLink().Matches(text ?? string.Empty).Select(m => m.Groups[1].Value)];

    /// <summary>The request (<c>r</c>) and person (<c>w</c>) a sheet's link is signed for.</summary>
    public static (string Request, string Person) Bound(string link)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("https://x" + link).Query);
        return (query["r"]!, query["w"]!);
    }

    /// <summary>The link of one request sent to one person, from the outbox (delivered or not).</summary>
    public static async Task<string> LinkAsync(EngagementApp app, string requestId, string personId, string partnershipId = "p1", DateOnly? round = null)
    {
        var mails = await Outbox(app).ListNotificationsAsync(partnershipId, $"sheets.{round ?? FirstRound:yyyyMMdd}");
        return mails.SelectMany(m => LinksIn(m.Text)).First(l => Bound(l) == (requestId, personId));
    }

    public static async Task<IReadOnlyList<AlertNotification>> PendingAsync(EngagementApp app, string partnershipId = "p1") =>
        await Outbox(app).ListPendingNotificationsAsync(partnershipId);

    /// <summary>A phone: no key, no cookie.</summary>
    public static HttpClient Phone(EngagementApp app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) => new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
