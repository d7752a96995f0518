using Engagement.Storage.Tables;

namespace Engagement.Storage.Tests.Tables;

/// <summary>The Table client against a real Azurite.</summary>
public sealed class TableClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<TableClient> NewTableAsync()
    {
        var table = azurite.Service().GetTableClient(AzuriteFixture.UniqueTableName());
        Assert.True(await table.CreateIfNotExistsAsync());
        return table;
    }

    [Fact]
    public async Task CreateIfNotExists_Twice_CreatesOnce()
    {
        var service = azurite.Service();
        var name = AzuriteFixture.UniqueTableName();
        Assert.True(await service.CreateTableIfNotExistsAsync(name));
        Assert.False(await service.CreateTableIfNotExistsAsync(name));
    }

    [Fact]
    public async Task AddEntity_SameKeysTwice_FailsWithEntityAlreadyExists()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "a" });
        var error = await Assert.ThrowsAsync<TableServiceException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "b" }));
        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
    }

    [Fact]
    public async Task TypedProperties_RoundTripExactly()
    {
        var table = await NewTableAsync();
        var when = new DateTimeOffset(2026, 3, 14, 15, 23, 34, 123, TimeSpan.FromHours(-4)).AddTicks(4567);
        var id = Guid.NewGuid();
        await table.UpsertEntityAsync(new TableEntity("p", "types")
        {
            ["Text"] = "Réseau « Hochelaga » 🌳 o'clock",
            ["Flag"] = true,
            ["Small"] = -42,
            ["Big"] = 9_007_199_254_740_993L,
            ["Ratio"] = 2.0,
            ["Fraction"] = 0.1 + 0.2,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = new byte[] { 0, 1, 2, 255 },
        });

        var read = await table.GetEntityIfExistsAsync("p", "types");
        Assert.NotNull(read);
        Assert.Equal("Réseau « Hochelaga » 🌳 o'clock", read.GetString("Text"));
        Assert.True(read.GetBoolean("Flag"));
        Assert.Equal(-42, read["Small"]);
        Assert.Equal(9_007_199_254_740_993L, read["Big"]);
        Assert.IsType<double>(read["Ratio"]);
        Assert.Equal(2.0, read["Ratio"]);
        Assert.Equal(0.1 + 0.2, read["Fraction"]);
        Assert.Equal(when.UtcDateTime, read.GetDateTimeOffset("When")!.Value.UtcDateTime);
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, read.GetBinary("Bytes"));
        Assert.NotNull(read.ETag);
        Assert.NotNull(read.Timestamp);
    }

    [Fact]
    public async Task GetEntityIfExists_Missing_ReturnsNull()
    {
        var table = await NewTableAsync();
        Assert.Null(await table.GetEntityIfExistsAsync("p", "nothing"));
    }

    [Fact]
    public async Task Upsert_MergeKeepsOtherProperties_ReplaceRemovesThem()
    {
        var table = await NewTableAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = "1", ["B"] = "2" });
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = "3" }, TableUpdateMode.Merge);
        var merged = (await table.GetEntityIfExistsAsync("p", "r"))!;
        Assert.Equal("3", merged.GetString("A"));
        Assert.Equal("2", merged.GetString("B"));

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = "4" }, TableUpdateMode.Replace);
        var replaced = (await table.GetEntityIfExistsAsync("p", "r"))!;
        Assert.Equal("4", replaced.GetString("A"));
        Assert.Null(replaced["B"]);
    }

    [Fact]
    public async Task UpdateAndDelete_WithStaleETag_FailWith412AndChangeNothing()
    {
        var table = await NewTableAsync();
        var first = await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var second = await table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }, first!, TableUpdateMode.Replace);
        Assert.NotEqual(first, second);

        var stale = await Assert.ThrowsAsync<TableServiceException>(() => table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 3 }, first!));
        Assert.Equal(412, stale.Status);
        Assert.Equal("UpdateConditionNotSatisfied", stale.ErrorCode);
        var staleDelete = await Assert.ThrowsAsync<TableServiceException>(() => table.DeleteEntityAsync("p", "r", first!));
        Assert.Equal(412, staleDelete.Status);
        Assert.Equal(2, (await table.GetEntityIfExistsAsync("p", "r"))!["V"]);

        Assert.True(await table.DeleteEntityAsync("p", "r", second!));
        Assert.False(await table.DeleteEntityAsync("p", "r"));
    }

    [Fact]
    public async Task Keys_WithQuotesSpacesAndUnicode_Work()
    {
        var table = await NewTableAsync();
        var key = "l'école du Plateau ~ été (2026) & co";
        await table.UpsertEntityAsync(new TableEntity(key, key) { ["V"] = 1 });
        Assert.NotNull(await table.GetEntityIfExistsAsync(key, key));
        var found = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {key}")).ToListAsync();
        Assert.Single(found);
        Assert.True(await table.DeleteEntityAsync(key, key));
    }

    [Fact]
    public async Task Query_FilterValuesCannotInjectConditions()
    {
        var table = await NewTableAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "a") { ["Owner"] = "alice" });
        await table.UpsertEntityAsync(new TableEntity("p", "b") { ["Owner"] = "bob" });

        var hostile = "alice' or Owner ne 'x";
        Assert.Empty(await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p"} and Owner eq {hostile}")).ToListAsync());
        Assert.Single(await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p"} and Owner eq {"alice"}")).ToListAsync());
    }

    [Fact]
    public async Task Query_Int64AndDateTimeFilters_CompareByValue()
    {
        var table = await NewTableAsync();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            await table.UpsertEntityAsync(new TableEntity("p", $"r{i}") { ["Big"] = 10_000_000_000L * i, ["When"] = start.AddDays(i * 10) });
        }

        var big = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p"} and Big ge {20_000_000_000L}")).ToListAsync();
        Assert.Equal(["r2", "r3", "r4"], big.Select(e => e.RowKey));
        var recent = await table.QueryAsync(TableFilter.Create($"When lt {start.AddDays(15)}")).ToListAsync();
        Assert.Equal(["r0", "r1"], recent.Select(e => e.RowKey));
    }

    [Fact]
    public async Task Query_MoreThanOnePage_FollowsContinuation()
    {
        var table = await NewTableAsync();
        for (var chunk = 0; chunk < 13; chunk++)
        {
            var actions = Enumerable.Range(chunk * 100, 100)
                .Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"r{i:D5}") { ["I"] = i }))
                .ToList();
            await table.SubmitTransactionAsync(actions);
        }

        var all = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p"}"), select: ["I"], maxPerPage: 500).ToListAsync();
        Assert.Equal(1300, all.Count);
        Assert.Equal(Enumerable.Range(0, 1300), all.Select(e => (int)e["I"]!));
        Assert.Equal(1300, (await table.QueryAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task Transaction_OneFailingAction_RollsBackAllAndNamesTheIndex()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "taken"));
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "a") { ["V"] = 1 }),
            new(TableTransactionActionType.Add, new TableEntity("p", "b") { ["V"] = 2 }),
            new(TableTransactionActionType.Add, new TableEntity("p", "taken") { ["V"] = 3 }),
        };

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(actions));
        Assert.Equal(409, failure.Status);
        Assert.Equal("EntityAlreadyExists", failure.ErrorCode);
        Assert.Equal(2, failure.FailedIndex);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "a"));
        Assert.Null(await table.GetEntityIfExistsAsync("p", "b"));
    }

    [Fact]
    public async Task Transaction_AllActionKinds_ApplyInOrderAndReturnETags()
    {
        var table = await NewTableAsync();
        var etag = await table.AddEntityAsync(new TableEntity("p", "existing") { ["V"] = 0, ["Keep"] = "yes" });
        await table.AddEntityAsync(new TableEntity("p", "doomed"));
        var etags = await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "new") { ["V"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "existing") { ["V"] = 2 }, etag),
            new(TableTransactionActionType.Delete, new TableEntity("p", "doomed")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "merged") { ["V"] = 3 }),
        ]);

        Assert.Equal(4, etags.Count);
        Assert.Equal(2, (await table.GetEntityIfExistsAsync("p", "existing"))!["V"]);
        Assert.Equal("yes", (await table.GetEntityIfExistsAsync("p", "existing"))!.GetString("Keep"));
        Assert.Null(await table.GetEntityIfExistsAsync("p", "doomed"));
        Assert.NotNull(await table.GetEntityIfExistsAsync("p", "new"));
    }

    [Fact]
    public async Task Transaction_LimitsAreCheckedBeforeSending()
    {
        var table = await NewTableAsync();
        var tooMany = Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"r{i}"))).ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(tooMany));

        var twoPartitions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p1", "r")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p2", "r")),
        };
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(twoPartitions));

        var big = new string('x', 30_000);
        var heavy = Enumerable.Range(0, 100).Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"r{i}") { ["A"] = big, ["B"] = big })).ToList();
        await Assert.ThrowsAsync<TableEntityTooLargeException>(() => table.SubmitTransactionAsync(heavy));
        Assert.Empty(await table.QueryAsync().ToListAsync());
    }

    [Fact]
    public async Task OversizeProperty_IsRefusedBeforeSending()
    {
        var table = await NewTableAsync();
        var error = await Assert.ThrowsAsync<TableEntityTooLargeException>(() => table.UpsertEntityAsync(new TableEntity("p", "r") { ["Answer"] = new string('x', TableEntity.MaxStringLength + 1) }));
        Assert.Contains("Answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableService_FailsWithStatusZeroAfterRetries()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var service = new TableServiceClient(TableConnection.Parse($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Engagement.Tests.Azurite.AccountKey};TableEndpoint=http://127.0.0.1:{Engagement.Tests.Azurite.FreePort()}/devstoreaccount1"), options);
        var error = await Assert.ThrowsAsync<TableServiceException>(() => service.CreateTableIfNotExistsAsync("unreachable"));
        Assert.Equal(0, error.Status);
        Assert.True(error.IsUnavailable);
    }

    [Fact]
    public async Task WrongAccountKey_IsRefusedWith403()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var service = new TableServiceClient(TableConnection.Parse($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={wrongKey};TableEndpoint={azurite.Azurite.TableEndpoint}"));
        var error = await Assert.ThrowsAsync<TableServiceException>(() => service.CreateTableIfNotExistsAsync(AzuriteFixture.UniqueTableName()));
        Assert.Equal(403, error.Status);
        // Azure says AuthenticationFailed; Azurite says AuthorizationFailure. Both are a refusal to sign in.
        Assert.Contains(error.ErrorCode, new[] { "AuthenticationFailed", "AuthorizationFailure" });
    }
}
