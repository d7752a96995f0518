using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Api;

/// <summary>Bodies that are not what they claim answer 400 or 415 naming the problem, never 500, and store nothing (issue 15, item 3).</summary>
public sealed class MalformedBodyTests : IAsyncLifetime
{
    private readonly EngagementApp _app = new();

    public Task InitializeAsync() => _app.SeedAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static byte[] WithInvalidUtf8(string before, string after) => [.. Encoding.UTF8.GetBytes(before), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(after)];

    [Theory]
    [InlineData("/api/forms/submissions?partnershipId=p1&formId=retro")]
    [InlineData("/api/attendance")]
    public async Task InvalidUtf8_Answers400NamingTheBody(string route)
    {
        var body = WithInvalidUtf8("""{"partnershipId":"p1","responseId":"r1","submittedAt":"2026-01-15T10:00:00-05:00","answers":{"q1":"Ou""", """i"},"records":[]}""");

        var problem = await Problem.AssertAsync(await _app.Admin().PostAsync(route, Json(body)), HttpStatusCode.BadRequest, "body");

        Assert.Contains("UTF-8", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoneSurrogate_InASubmission_Answers400NamingTheField_AndStoresNothing()
    {
        var body = Encoding.UTF8.GetBytes("""{"partnershipId":"p1","formId":"retro","responseId":"r1","submittedAt":"2026-01-15T10:00:00-05:00","answers":{"q1":"\ud800"}}""");

        await Problem.AssertAsync(await _app.Admin().PostAsync("/api/forms/submissions", Json(body)), HttpStatusCode.BadRequest, "answers.q1");

        Assert.Empty(await _app.Services.GetRequiredService<EngagementStores>().Forms.ListFormSubmissionsAsync("p1"));
    }

    [Theory]
    [InlineData("{}", "application/json")]
    [InlineData("key=x", null)]
    public async Task DashboardSignIn_WithoutAForm_Answers415NamingTheContentType(string body, string? contentType)
    {
        var content = new StringContent(body);
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);

        await Problem.AssertAsync(await _app.CreateClient().PostAsync("/api/dashboard/login", content), HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }
}
