using System.Net;
using static Engagement.Functions.Tests.Participants.ParticipantScenario;

namespace Engagement.Functions.Tests.Participants;

/// <summary>
/// The participants' pages are limited per client address and per link, in one-minute windows of the app's clock:
/// the request over the limit is a 429 page with Retry-After that stores nothing, and the next minute is served again.
/// </summary>
public sealed class RateLimitTests
{
    private static HttpRequestMessage From(string address, HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-Forwarded-For", address);
        return request;
    }

    [Fact]
    public async Task OneAddress_OverItsAllowance_Gets429_UntilTheNextMinute()
    {
        await using var app = await StartAsync(new() { ["Participants:RequestsPerMinutePerAddress"] = "3" });
        var link = await SignInLinkAsync(app);
        var phone = Phone(app);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await phone.SendAsync(From("203.0.113.7", HttpMethod.Get, link))).StatusCode);
        }

        using var limited = await phone.SendAsync(From("203.0.113.7", HttpMethod.Post, link + "&o=cdc", Form(("o", "cdc"), ("person", "marie"))));
        using var neighbour = await phone.SendAsync(From("198.51.100.2", HttpMethod.Get, link));

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Contains("Trop de demandes", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AttendanceAsync(app));
        Assert.Equal(HttpStatusCode.OK, neighbour.StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await phone.SendAsync(From("203.0.113.7", HttpMethod.Post, link + "&o=cdc", Form(("o", "cdc"), ("person", "marie"))))).StatusCode);
        Assert.Single(await AttendanceAsync(app));
    }

    [Fact]
    public async Task OneLink_OverItsAllowance_Gets429_WhateverTheAddress_WhileAnotherLinkIsServed()
    {
        await using var app = await StartAsync(new() { ["Participants:RequestsPerMinutePerLink"] = "2" });
        await AddMeetingAsync(app, "other", MeetingStart);
        var link = await SignInLinkAsync(app);
        var other = await SignInLinkAsync(app, "other");
        var phone = Phone(app);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await phone.SendAsync(From($"203.0.113.{i + 1}", HttpMethod.Get, link))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], answers);
        Assert.Equal(HttpStatusCode.OK, (await phone.SendAsync(From("203.0.113.9", HttpMethod.Get, other))).StatusCode);
    }

    [Fact]
    public async Task TamperedLinks_CountAgainstTheAddress_NotAgainstTheRealLink()
    {
        await using var app = await StartAsync(new() { ["Participants:RequestsPerMinutePerLink"] = "1", ["Participants:RequestsPerMinutePerAddress"] = "5" });
        var link = await SignInLinkAsync(app);
        var phone = Phone(app);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await phone.SendAsync(From("203.0.113.50", HttpMethod.Get, link[..^1] + (link[^1] == 'A' ? 'B' : 'A')))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await phone.SendAsync(From("198.51.100.4", HttpMethod.Get, link))).StatusCode);
        Assert.Equal((HttpStatusCode)429, (await phone.SendAsync(From("203.0.113.50", HttpMethod.Get, link[..^1] + "Z"))).StatusCode);
    }
}
