using System.Security.Cryptography;
using Engagement.Bench.Ingestion;
using Engagement.Functions.Security;
using Engagement.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Bench.Dashboard;

/// <summary>
/// The real app in this process, as tests/Functions.Tests's EngagementApp starts it: Production, a fresh SQLite file
/// in the work folder, one coordinator key, the scheduler and the scoring off, a clock fixed on the page's day. Logging
/// at Warning so that the console does not time itself into the figures.
/// </summary>
internal sealed class BenchApp(string workDirectory, DateTimeOffset now) : WebApplicationFactory<Program>
{
    public string CoordinatorKey { get; } = KeyHasher.NewKey();

    public ManualTimeProvider Clock { get; } = new(now);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Storage:Sqlite:Path", Path.Combine(workDirectory, "engagement.db"));
        builder.UseSetting("Scheduler:Enabled", "false");
        builder.UseSetting("Scoring:Enabled", "false");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Datasets:Folder", Path.Combine(workDirectory, "datasets"));
        builder.UseSetting("Exports:PersonKeySecret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Auth:ApiKeys:0:Name", "coordination");
        builder.UseSetting("Auth:ApiKeys:0:Hash", KeyHasher.Hash(CoordinatorKey));
        builder.UseSetting("Auth:ApiKeys:0:Roles:0", Roles.Coordinator);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A browser signed in to the dashboard: the session cookie of the sign-in form, never the key.</summary>
    public async Task<HttpClient> DashboardClientAsync()
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false };
        using var anonymous = CreateClient(options);
        using var login = await anonymous.PostAsync(new Uri("/api/dashboard/login", UriKind.Relative), new FormUrlEncodedContent([new("key", CoordinatorKey)]));
        var cookie = login.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Single().Split(';')[0]
            : throw new BenchFailureException($"Signing in answered {(int)login.StatusCode} without a session cookie.");
        var client = CreateClient(options);
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }
}
