using Engagement.Analytics.Synthetic;
using Engagement.Core.Storage;

namespace Engagement.Functions.Tests.Exports;

/// <summary>Loads a synthetic dataset into a store: partnerships, roster, meetings, attendance, forms and submissions.</summary>
internal static class SyntheticData
{
    public static async Task LoadAsync(this IEngagementStore store, SyntheticDataset dataset)
    {
        foreach (var history in dataset.Partnerships)
        {
            var id = history.Partnership.Id;
            await store.UpsertPartnershipAsync(history.Partnership);
            await store.UpsertOrganizationsAsync(id, history.Organizations);
            await store.UpsertPeopleAsync(id, [.. dataset.People.Where(p => p.PartnershipId == id)]);
            await store.UpsertRepresentationsAsync(id, history.Representations);
            await store.UpsertMeetingsAsync(id, history.Meetings);
            await store.UpsertAttendanceAsync(id, history.Attendance);
            foreach (var form in dataset.Forms.Where(f => f.PartnershipId == id))
            {
                await store.UpsertFormAsync(form);
            }

            await store.UpsertFormSubmissionsAsync(id, history.Submissions);
        }
    }
}
