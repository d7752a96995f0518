using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Functions.Tests.Exports;

/// <summary>
/// A small action plan with known lateness, written straight to the store: two objectives, three actions, five updates.
/// In time order: u1 (O1.A1 on track, 20 Jan), u3 (O2.A1 said late, 25 Jan), u4 (O2.A1 late again, 5 Feb: late since
/// 25 Jan, 11 days), u5 (O1.A2 done, 10 Feb), u2 (O1.A1 on track but past its 28 Feb due day on 10 Mar: 9 days late).
/// </summary>
internal static class ActionPlanSeed
{
    public static readonly DateTimeOffset RecordedAt = new(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(-5));

    /// <summary>What the sheets' answers say: may name people, so exported only with the <c>pii</c> role.</summary>
    public const string Obstacles = "Départ de Marie Tremblay, la chargée de projet";

    public static async Task<ActionPlan> SeedAsync(EngagementStores store, string partnershipId, string lead = "cdc", string partner = "ville", string person = "marie")
    {
        var winter = TimeSpan.FromHours(-5);
        var summer = TimeSpan.FromHours(-4);
        Objective[] objectives =
        [
            new() { PartnershipId = partnershipId, Id = "O1", Title = "Briser l'isolement des aînés", Order = 2 },
            new() { PartnershipId = partnershipId, Id = "O2", Title = "Mieux faire connaître les services", Order = 1 },
        ];
        PlanAction[] actions =
        [
            new()
            {
                PartnershipId = partnershipId, Id = "O1.A1", ObjectiveId = "O1", Title = "Répertoire des ressources", LeadOrganizationId = lead,
                PartnerOrganizationIds = [partner], StartOn = new DateOnly(2026, 1, 10), DueOn = new DateOnly(2026, 2, 28), Deliverables = "Un répertoire imprimé",
            },
            new() { PartnershipId = partnershipId, Id = "O1.A2", ObjectiveId = "O1", Title = "Café-rencontre", LeadOrganizationId = partner },
            new() { PartnershipId = partnershipId, Id = "O2.A1", ObjectiveId = "O2", Title = "Dépliant", LeadOrganizationId = lead, DueOn = new DateOnly(2026, 1, 31) },
        ];
        ActionUpdate[] updates =
        [
            new()
            {
                PartnershipId = partnershipId, Id = "u1", ActionId = "O1.A1", At = new DateTimeOffset(2026, 1, 20, 10, 0, 0, winter), Status = ActionStatus.OnTrack,
                Source = ActionUpdateSource.Sheet, OrganizationId = lead, PersonId = person, Done = "Liste des organismes dressée",
            },
            new()
            {
                PartnershipId = partnershipId, Id = "u2", ActionId = "O1.A1", At = new DateTimeOffset(2026, 3, 10, 10, 0, 0, summer), Status = ActionStatus.OnTrack,
                Source = ActionUpdateSource.Sheet, OrganizationId = lead, PersonId = person, Obstacles = Obstacles, HelpNeeded = "Une personne pour la mise en page",
            },
            new() { PartnershipId = partnershipId, Id = "u3", ActionId = "O2.A1", At = new DateTimeOffset(2026, 1, 25, 9, 0, 0, winter), Status = ActionStatus.Late, Source = ActionUpdateSource.Coordinator },
            new() { PartnershipId = partnershipId, Id = "u4", ActionId = "O2.A1", At = new DateTimeOffset(2026, 2, 5, 9, 0, 0, winter), Status = ActionStatus.Late, Source = ActionUpdateSource.Coordinator },
            new() { PartnershipId = partnershipId, Id = "u5", ActionId = "O1.A2", At = new DateTimeOffset(2026, 2, 10, 16, 0, 0, winter), Status = ActionStatus.Done, Source = ActionUpdateSource.Import },
        ];
        await store.ActionPlans.UpsertPlanAsync(partnershipId, objectives, actions, updates, RecordedAt);
        return await store.ActionPlans.GetPlanAsync(partnershipId);
    }
}
