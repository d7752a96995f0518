using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Tables;

/// <summary>
/// How the Table store fails: as the product's own exceptions (never an Azure SDK type), before sending anything when
/// a record is over the service's limits, and without letting an id change a query.
/// </summary>
public sealed class TableStoreFailureTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string P = "p1";

    [Fact]
    public async Task UnreachableService_Calls_ThrowStoreUnavailableAndHealthSaysSo()
    {
        var service = TableStoreClients.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};TableEndpoint=http://127.0.0.1:{Azurite.FreePort()}/{Azurite.AccountName}",
            TableStoreClients.Options(1, TimeSpan.FromMilliseconds(10)));
        var store = new TableStorage(service, "unreachable", TimeProvider.System).CreateStores();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Partnerships.GetPartnershipAsync(P));
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.False((await store.Health.CheckHealthAsync()).Healthy);
    }

    [Fact]
    public async Task WrongAccountKey_Calls_ThrowStoreUnavailable()
    {
        var service = TableStoreClients.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Convert.ToBase64String(new byte[64])};TableEndpoint={azurite.Azurite.TableEndpoint}",
            TableStoreClients.Options(0, TimeSpan.FromMilliseconds(1)));
        var store = new TableStorage(service, AzuriteFixture.UniqueTableName("k"), TimeProvider.System).CreateStores();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Partnerships.ListPartnershipsAsync());
        Assert.Contains("credentials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PropertyOverTheServiceLimit_IsRefusedBeforeSending_AndNothingOfTheBatchIsStored()
    {
        var store = await NewStoreAsync();
        var people = new[]
        {
            new Person { PartnershipId = P, Id = "marie", DisplayName = "Marie" },
            new Person { PartnershipId = P, Id = "long", DisplayName = new string('x', 32 * 1024 + 1) },
        };

        var error = await Assert.ThrowsAsync<RecordTooLargeException>(() => store.Roster.UpsertPeopleAsync(P, people));

        Assert.Contains("DisplayName", error.Message, StringComparison.Ordinal);
        Assert.Empty((await store.Roster.GetRosterAsync(P)).People);
    }

    [Fact]
    public async Task RecordOverOneMebibyte_IsRefusedBeforeSending()
    {
        var store = await NewStoreAsync();
        var submission = new FormSubmission
        {
            PartnershipId = P, FormId = "f", ResponseId = "r", Kind = FormKind.Feedback, SubmittedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Answers = new Dictionary<string, IReadOnlyList<string>> { ["q"] = [new string('x', 524_000)] },
        };

        await Assert.ThrowsAsync<RecordTooLargeException>(() => store.Forms.UpsertFormSubmissionsAsync(P, [submission]));
        Assert.Empty(await store.Forms.ListFormSubmissionsAsync(P));
    }

    [Fact]
    public async Task PlanWithOneRecordOverOneMebibyte_IsRefusedBeforeSending_AndNothingOfThePlanIsStored()
    {
        var store = await NewStoreAsync();
        var objective = new Objective { PartnershipId = P, Id = "O1", Title = "Objectif" };
        var action = new PlanAction { PartnershipId = P, Id = "O1.A1", ObjectiveId = "O1", Title = "Action", LeadOrganizationId = "cdc" };
        var update = new ActionUpdate
        {
            PartnershipId = P, Id = "u1", ActionId = "O1.A1", At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Status = ActionStatus.Late, Source = ActionUpdateSource.Sheet,
            Obstacles = new string('x', 300_000), HelpNeeded = new string('y', 300_000),
        };

        await Assert.ThrowsAsync<RecordTooLargeException>(() => store.ActionPlans.UpsertPlanAsync(P, [objective], [action], [update], update.At));
        await Assert.ThrowsAsync<RecordTooLargeException>(() => store.ActionPlans.AnswerAsync(update, "O1.A1.cdc.20260101"));

        var plan = await store.ActionPlans.GetPlanAsync(P);
        Assert.Empty(plan.Objectives);
        Assert.Empty(plan.Actions);
        Assert.Empty(plan.Updates);
    }

    [Fact]
    public async Task LongAnswersUnderTheLimit_AreSplitNeverTruncated()
    {
        var store = await NewStoreAsync();
        var answer = string.Concat(Enumerable.Repeat("Reseau, ", 40_000)); // 320,000 characters: ten properties
        var submission = new FormSubmission
        {
            PartnershipId = P, FormId = "f", ResponseId = "r", Kind = FormKind.Feedback, SubmittedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Answers = new Dictionary<string, IReadOnlyList<string>> { ["q"] = [answer] },
        };

        Assert.Equal(new(1, 0, 0), await store.Forms.UpsertFormSubmissionsAsync(P, [submission]));

        Assert.Equal(answer, Assert.Single(await store.Forms.ListFormSubmissionsAsync(P)).Answers["q"].Single());
        Assert.Equal(new(0, 0, 1), await store.Forms.UpsertFormSubmissionsAsync(P, [submission]));
    }

    [Fact]
    public async Task HostileIds_CannotReachAnotherPartnership()
    {
        var store = await NewStoreAsync();
        const string Hostile = "x' or PartitionKey ne '";
        await store.Roster.UpsertPeopleAsync(P, [new Person { PartnershipId = P, Id = "marie", DisplayName = "Marie" }]);
        await store.Roster.UpsertPeopleAsync(Hostile, [new Person { PartnershipId = Hostile, Id = "o'brien' or RowKey ne '" }]);

        Assert.Equal(["o'brien' or RowKey ne '"], (await store.Roster.GetRosterAsync(Hostile)).People.Select(p => p.Id));
        Assert.Equal(["marie"], (await store.Roster.GetRosterAsync(P)).People.Select(p => p.Id));
        Assert.Empty(await store.Attendance.GetAttendanceAsync(P, "m' or RowKey ne '"));
    }

    [Fact]
    public void Filters_QuoteValuesAndCoverComposedKeysOnly()
    {
        Assert.Equal("PartitionKey eq 'O''Brien' and RowKey ge 'att|m1|' and RowKey lt 'att|m1}'", TableKeys.RowKeyRange("O'Brien", "att", "m1"));
        Assert.Equal("PartitionKey eq 'p' and RowKey gt 'att|m!.1|x' and RowKey lt 'att}'", TableKeys.RowKeyRangeAfter("p", "att|m!.1|x", "att"));
        Assert.Equal("att|m!.1|x!!y", TableKeys.Compose("att", "m|1", "x!y"));
        Assert.Equal(["att", "m|1", "x!y"], TableKeys.Decompose(TableKeys.Compose("att", "m|1", "x!y")));
    }

    private async Task<EngagementStores> NewStoreAsync()
    {
        var storage = new TableStorage(azurite.Service(), AzuriteFixture.UniqueTableName("f"), TimeProvider.System);
        await storage.EnsureTablesAsync();
        return storage.CreateStores();
    }
}
