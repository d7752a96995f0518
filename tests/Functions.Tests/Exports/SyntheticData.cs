using Engagement.Analytics.Synthetic;
using Engagement.Core.Storage;

namespace Engagement.Functions.Tests.Exports;

/// <summary>Loads a synthetic dataset into a store: partnerships, roster, meetings, attendance, forms and submissions.</summary>
internal static class SyntheticData
{
    public static async Task LoadAsync(this EngagementStores store, SyntheticDataset dataset)
    {
        foreach (var history in dataset.Partnerships)
        {
            var id = history.Partnership.Id;
            await store.Partnerships.UpsertPartnershipAsync(history.Partnership);
            await store.Roster.UpsertOrganizationsAsync(id, history.Organizations);
            await store.Roster.UpsertPeopleAsync(id, [.. dataset.People.Where(p => p.PartnershipId == id)]);
            await store.Roster.UpsertRepresentationsAsync(id, history.Representations);
            await store.Attendance.UpsertMeetingsAsync(id, history.Meetings);
            await store.Attendance.UpsertAttendanceAsync(id, history.Attendance);
            foreach (var form in dataset.Forms.Where(f => f.PartnershipId == id))
            {
                await store.Forms.UpsertFormAsync(form);
            }

            await store.Forms.UpsertFormSubmissionsAsync(id, history.Submissions);
        }
    }
}
