using System.Text;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Integrations;

/// <summary>The app configured for Microsoft Graph, pointed at a fake Graph on loopback, with a fixed token.</summary>
internal static class GraphTestApp
{
    public static async Task<(FakeGraph Graph, EngagementApp App)> StartAsync(Dictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        var graph = await FakeGraph.StartAsync();
        var all = new Dictionary<string, string>(settings ?? []) { ["Graph:TenantId"] = "909c6581", ["Graph:ClientId"] = "app", ["Graph:BaseUrl"] = graph.BaseUrl };
        var app = new EngagementApp(
            settings: all,
            services: s =>
            {
                s.AddSingleton<TokenCredential>(new FixedToken());
                services?.Invoke(s);
            });
        await app.SeedAsync();
        return (graph, app);
    }

    /// <summary>Invokes a timer as the host would; returns its log lines joined.</summary>
    public static async Task<string> RunTimerAsync(EngagementApp app, string name)
    {
        using var response = await app.Admin().PostAsync($"/{name}", new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));
        var body = await Problem.JsonAsync(response);
        return string.Join("\n", body.GetProperty("logs").EnumerateArray().Select(l => l.GetString()));
    }

    internal sealed class FixedToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("graph-test-token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
