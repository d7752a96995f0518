using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Exports;

/// <summary>
/// Server-driven paging of the OData feed at a small page size over several partnerships: store-order pages (keyset,
/// <c>$skiptoken</c>) hand over every row once, the same rows as the <c>$skip</c> paging of an ordered read.
/// </summary>
public sealed class ODataPagingTests : IAsyncLifetime
{
    private const int PageSize = 7;
    private EngagementApp _app = null!;
    private SyntheticDataset _dataset = null!;

    public async Task InitializeAsync()
    {
        _app = new EngagementApp(settings: new()
        {
            ["Exports:PersonKeySecret"] = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray()),
            ["Exports:ODataPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 5, Partnerships = 3, Months = 8, Start = new DateOnly(2025, 9, 1) });
        await _app.Services.GetRequiredService<EngagementStores>().LoadAsync(_dataset);

        (await _app.Admin().PostAsync("/ScoreRisk", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Every page from <paramref name="url"/> on, following <c>@odata.nextLink</c>: the rows and each link followed.</summary>
    private async Task<(List<JsonElement> Rows, List<int> PageSizes, List<string> Links)> ReadAllAsync(string url)
    {
        var client = _app.ClientWithKey(EngagementApp.Keys.Analyst);
        var rows = new List<JsonElement>();
        var sizes = new List<int>();
        var links = new List<string>();
        string? next = url;
        while (next is not null)
        {
            Assert.True(sizes.Count < 10_000, "paging does not end");
            var body = await Problem.JsonAsync(await client.GetAsync(next));
            var page = body.GetProperty("value").EnumerateArray().ToList();
            rows.AddRange(page);
            sizes.Add(page.Count);
            next = body.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            if (next is not null)
            {
                links.Add(next);
            }
        }

        return (rows, sizes, links);
    }

    [Theory]
    [InlineData("fact_attendance")]
    [InlineData("fact_form_answer")]
    [InlineData("fact_risk_snapshot")]
    [InlineData("dim_meeting")]
    [InlineData("dim_person")]
    [InlineData("dim_organization")]
    [InlineData("dim_date")]
    public async Task StoreOrderPages_AcrossPartnerships_HandOverEveryRowOnce_LikeTheOrderedRead(string set)
    {
        var (rows, sizes, links) = await ReadAllAsync($"/api/odata/{set}");
        var (ordered, _, orderedLinks) = await ReadAllAsync($"/api/odata/{set}?$orderby=id");

        var ids = rows.Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.True(ids.Count > 2 * PageSize, $"{set} has {ids.Count} rows: too few to page");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ids.Order(StringComparer.Ordinal), ordered.Select(r => r.GetProperty("id").GetString()!));
        Assert.All(sizes[..^1], size => Assert.Equal(PageSize, size));
        Assert.InRange(sizes[^1], 1, PageSize);
        Assert.All(orderedLinks, link => Assert.Contains("$skip=", link, StringComparison.Ordinal));
        if (set != "dim_date")
        {
            Assert.All(links, link => Assert.Contains("$skiptoken=", link, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task StoreOrderPages_WithFilterSelectTopAndSkip_KeepThemOnEveryPage()
    {
        var (all, _, _) = await ReadAllAsync("/api/odata/fact_attendance?$filter=status eq 'present'&$select=id,meeting_key,status");
        var (window, sizes, links) = await ReadAllAsync("/api/odata/fact_attendance?$filter=status eq 'present'&$select=id,meeting_key,status&$skip=3&$top=20");

        Assert.All(all, r => Assert.Equal("present", r.GetProperty("status").GetString()));
        Assert.All(window, r => Assert.Equal(["id", "meeting_key", "status"], r.EnumerateObject().Select(p => p.Name)));
        Assert.Equal([7, 7, 6], sizes);
        Assert.Equal(all.Skip(3).Take(20).Select(r => r.GetProperty("id").GetString()), window.Select(r => r.GetProperty("id").GetString()));
        Assert.All(links, link => Assert.DoesNotContain("$skip=", link, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SkipToken_IsOpaque_AndAlteredOrMisusedTokensAnswer400()
    {
        var client = _app.ClientWithKey(EngagementApp.Keys.Analyst);
        var first = await Problem.JsonAsync(await client.GetAsync("/api/odata/fact_attendance"));
        var link = first.GetProperty("@odata.nextLink").GetString()!;
        var token = Uri.UnescapeDataString(link[(link.IndexOf("$skiptoken=", StringComparison.Ordinal) + "$skiptoken=".Length)..]);

        // The token names a person by the store's id: sealed, so neither the text nor its bytes show one.
        var bytes = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        foreach (var person in _dataset.People.Select(p => p.Id))
        {
            Assert.DoesNotContain(person, token, StringComparison.Ordinal);
            Assert.DoesNotContain(person, bytes, StringComparison.Ordinal);
        }

        var altered = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];
        await Problem.AssertAsync(await client.GetAsync($"/api/odata/fact_attendance?$skiptoken={Uri.EscapeDataString(altered)}"), HttpStatusCode.BadRequest, "$skiptoken");
        await Problem.AssertAsync(await client.GetAsync($"/api/odata/dim_meeting?$skiptoken={Uri.EscapeDataString(token)}"), HttpStatusCode.BadRequest, "$skiptoken");
        await Problem.AssertAsync(await client.GetAsync($"/api/odata/fact_attendance?$orderby=id&$skiptoken={Uri.EscapeDataString(token)}"), HttpStatusCode.BadRequest, "$skiptoken");
        await Problem.AssertAsync(await client.GetAsync("/api/odata/fact_attendance?$skiptoken=not-a-token"), HttpStatusCode.BadRequest, "$skiptoken");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task CountInStoreOrder_IsTheWholeSetOnEveryPage()
    {
        var (rows, sizes, links) = await ReadAllAsync("/api/odata/fact_attendance?$count=true&$top=30");
        var client = _app.ClientWithKey(EngagementApp.Keys.Analyst);
        var counts = new List<int>();
        foreach (var url in links.Prepend("/api/odata/fact_attendance?$count=true&$top=30"))
        {
            counts.Add((await Problem.JsonAsync(await client.GetAsync(url))).GetProperty("@odata.count").GetInt32());
        }

        var store = _app.Services.GetRequiredService<EngagementStores>();
        var total = 0;
        foreach (var p in await store.Partnerships.ListPartnershipsAsync())
        {
            total += (await store.Attendance.ListAttendanceAsync(p.Id)).Count;
        }

        Assert.Equal(30, rows.Count);
        Assert.Equal([7, 7, 7, 7, 2], sizes);
        Assert.All(counts, c => Assert.Equal(total, c));
    }
}
