using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IIntegrationStore"/> must have.</summary>
public abstract class IntegrationStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task Integrations_RegisterCheckpointReregisterDelete()
    {
        await SeedPartnershipAsync();
        var meeting = new IntegrationRegistration
        {
            PartnershipId = P,
            Kind = IntegrationKind.TeamsMeeting,
            Id = "m1",
            Settings = new Dictionary<string, string> { ["organizerUserId"] = "dc17674c", ["joinUrl"] = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0" },
        };
        var group = meeting with { Kind = IntegrationKind.Group, Id = "g1", Settings = new Dictionary<string, string> { ["groupId"] = "g1" } };

        Assert.Equal(WriteOutcome.Created, await Stores.Integrations.UpsertIntegrationAsync(meeting));
        Assert.Equal(WriteOutcome.Unchanged, await Stores.Integrations.UpsertIntegrationAsync(meeting));
        await Stores.Integrations.UpsertIntegrationAsync(group);
        await Stores.Integrations.SetIntegrationCheckpointAsync(P, IntegrationKind.TeamsMeeting, "m1", "[\"report-1\"]");
        Assert.Equal(WriteOutcome.Updated, await Stores.Integrations.UpsertIntegrationAsync(meeting with { Settings = new Dictionary<string, string> { ["organizerUserId"] = "other" } }));

        var listed = await Stores.Integrations.ListIntegrationsAsync(P);
        Assert.Equal([IntegrationKind.Group, IntegrationKind.TeamsMeeting], listed.Select(r => r.Kind));
        var teams = listed[1];
        Assert.Equal("[\"report-1\"]", teams.Checkpoint);
        Assert.Equal("other", teams.Settings["organizerUserId"]);
        Assert.Null(listed[0].Checkpoint);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Stores.Integrations.SetIntegrationCheckpointAsync(P, IntegrationKind.FormsWorkbook, "nothing", "1"));
        Assert.True(await Stores.Integrations.DeleteIntegrationAsync(P, IntegrationKind.Group, "g1"));
        Assert.False(await Stores.Integrations.DeleteIntegrationAsync(P, IntegrationKind.Group, "g1"));
        Assert.Single(await Stores.Integrations.ListIntegrationsAsync(P));
        Assert.Empty(await Stores.Integrations.ListIntegrationsAsync("elsewhere"));
    }
}
