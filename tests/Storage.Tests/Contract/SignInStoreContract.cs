using Engagement.Core.Domain;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="Core.Storage.ISignInStore"/> must have.</summary>
public abstract class SignInStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    private static MeetingSignIn NewSignIn(string personId, string organizationId, DateTimeOffset at, bool newName = false, string meetingId = "m1") => new()
    {
        PartnershipId = P,
        MeetingId = meetingId,
        PersonId = personId,
        OrganizationId = organizationId,
        SignedInAt = at,
        NewName = newName,
    };

    [Fact]
    public async Task AddSignInAsync_TheSamePersonTwice_KeepsTheFirst()
    {
        await SeedWithMeetingsAsync();

        Assert.True(await Stores.SignIns.AddSignInAsync(NewSignIn("marie", "cdc", Jan13)));
        Assert.False(await Stores.SignIns.AddSignInAsync(NewSignIn("marie", "ville", Jan13.AddMinutes(5), newName: true)));

        var signIn = Assert.Single((await Stores.SignIns.GetSheetAsync(P, "m1")).SignIns);
        Assert.Equal(NewSignIn("marie", "cdc", Jan13), signIn);
        Assert.Equal(Jan13.Offset, signIn.SignedInAt.Offset);
    }

    [Fact]
    public async Task AddSignInAsync_ManyAtOnce_StoresEachPersonOnce()
    {
        await SeedWithMeetingsAsync();
        var people = Enumerable.Range(0, 20).Select(i => $"p{i:00}").ToList();

        var added = await Task.WhenAll(people.Concat(people).Select((p, i) => Stores.SignIns.AddSignInAsync(NewSignIn(p, "cdc", Jan13.AddSeconds(i % 20)))));

        Assert.Equal(20, added.Count(a => a));
        Assert.Equal(people, (await Stores.SignIns.GetSheetAsync(P, "m1")).SignIns.Select(s => s.PersonId));
    }

    [Fact]
    public async Task GetSheetAsync_ListsOneMeetingsSignIns_ByTimeThenPerson_AndIsEmptyAndOpenForAnother()
    {
        await SeedWithMeetingsAsync();
        await Stores.SignIns.AddSignInAsync(NewSignIn("paul", "ville", Jan13.AddMinutes(2), newName: true));
        await Stores.SignIns.AddSignInAsync(NewSignIn("marie", "cdc", Jan13.AddMinutes(2)));
        await Stores.SignIns.AddSignInAsync(NewSignIn("ana", "cdc", Jan13.ToOffset(TimeSpan.Zero)));
        await Stores.SignIns.AddSignInAsync(NewSignIn("marie", "cdc", Feb10, meetingId: "m2"));

        var sheet = await Stores.SignIns.GetSheetAsync(P, "m1");
        var empty = await Stores.SignIns.GetSheetAsync(P, "m3");

        Assert.Equal(["ana", "marie", "paul"], sheet.SignIns.Select(s => s.PersonId));
        Assert.True(sheet.SignIns[2].NewName);
        Assert.Null(sheet.ClosedAt);
        Assert.Equal((P, "m3", 0, (DateTimeOffset?)null), (empty.PartnershipId, empty.MeetingId, empty.SignIns.Count, empty.ClosedAt));
        Assert.Empty((await Stores.SignIns.GetSheetAsync("another", "m1")).SignIns);
    }

    [Fact]
    public async Task CloseSheetAsync_Again_KeepsTheFirstTime()
    {
        await SeedWithMeetingsAsync();

        var first = await Stores.SignIns.CloseSheetAsync(P, "m1", Jan13.AddHours(3));
        var second = await Stores.SignIns.CloseSheetAsync(P, "m1", Jan13.AddHours(5));

        Assert.Equal(Jan13.AddHours(3), first);
        Assert.Equal(first, second);
        Assert.Equal(first, (await Stores.SignIns.GetSheetAsync(P, "m1")).ClosedAt);
        Assert.Null((await Stores.SignIns.GetSheetAsync(P, "m2")).ClosedAt);
    }
}
