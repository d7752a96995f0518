using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Engagement.Functions.Tests.Api;

/// <summary>Error texts that say what is true of the request at hand (issue 15, item 15).</summary>
public sealed class ErrorTextTests : IAsyncLifetime
{
    private readonly EngagementApp _app = new();

    public Task InitializeAsync() => _app.SeedAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static string Detail(System.Text.Json.JsonElement problem) => problem.GetProperty("detail").GetString()!;

    [Fact]
    public async Task ARead_DoesNotSayNothingWasStored_AWriteDoes()
    {
        var read = await Problem.AssertAsync(await _app.Admin().GetAsync("/api/audit/exports?since=yesterday"), HttpStatusCode.BadRequest, "since");
        var write = await Problem.AssertAsync(await _app.Admin().PutAsJsonAsync("/api/partnerships/p1", new { name = "" }), HttpStatusCode.BadRequest, "name");

        Assert.DoesNotContain("Nothing was stored", Detail(read), StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", Detail(write), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A403_NamesTheRolesThatMay()
    {
        var refused = await Problem.AssertAsync(
            await _app.ClientWithKey(EngagementApp.Keys.Analyst).PostAsJsonAsync("/api/attendance", new { partnershipId = "p1", records = Array.Empty<object>() }),
            HttpStatusCode.Forbidden);

        Assert.Contains("it needs one of: ingest, coordinator, admin", Detail(refused), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASingleObjectTooLarge_IsNotToldToSplitIntoSmallerRequests()
    {
        var huge = new StringContent($$"""{"name":"{{new string('x', 1_100_000)}}"}""", Encoding.UTF8, "application/json");

        var problem = await Problem.AssertAsync(await _app.Admin().PutAsync("/api/partnerships/p1", huge), HttpStatusCode.RequestEntityTooLarge, "body");

        Assert.DoesNotContain("split", Detail(problem), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr", "Ce partenariat n’existe pas")]
    [InlineData("en", "This partnership does not exist")]
    public async Task TheDashboards404_SpeaksTheAskedLanguage(string lang, string text)
    {
        var client = await _app.DashboardClientAsync(EngagementApp.Keys.Admin);

        using var page = await client.GetAsync($"/api/dashboard/partnerships/absent?lang={lang}");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"lang=\"{lang}\"", html, StringComparison.Ordinal);
        Assert.Contains(text, html, StringComparison.Ordinal);
    }
}
