using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Engagement.EndToEnd.Tests;

/// <summary>The built app started on its own (<c>dotnet Engagement.Functions.dll</c>), as a small install runs it.</summary>
public sealed class StandaloneProcessTests
{
    private static async Task<JsonElement> ExpectAsync(AppProcess app, HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {text}\n--- app output ---\n{app.Output}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Standalone_DevelopmentWithoutKeys_PrintsAOneRunAdminKeyThatWorks()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        var root = await ExpectAsync(app, await app.WaitUntilReadyAsync(), HttpStatusCode.OK);
        Assert.Equal("standalone", root.GetProperty("mode").GetString());

        var line = await app.WaitForOutputAsync("development admin key");
        var key = line.Split(' ').Single(w => w.StartsWith("efk_", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/partnerships");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await ExpectAsync(app, await app.Client.SendAsync(request), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Standalone_ProductionWithoutKeys_GeneratesNoKey()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        await app.WaitUntilReadyAsync();
        await app.WaitForOutputAsync("No API key is configured");
        Assert.DoesNotContain("efk_", app.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.GetAsync("/api/partnerships")).StatusCode);
    }

    [Fact]
    public async Task Standalone_ProductionWithoutAPersonKeySecret_RefusesToStart_NamingTheSetting()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Exports__PersonKeySecret"] = "" });

        Assert.NotEqual(0, await app.WaitForExitAsync());
        Assert.Contains("Exports:PersonKeySecret is required outside Development", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_Development_KeepsAPersonKeySecretBesideTheData()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Exports__PersonKeySecret"] = "", ["Demo__Enabled"] = "false" });
        await app.WaitUntilReadyAsync();

        var line = await app.WaitForOutputAsync("person-key-secret");
        Assert.Contains(Path.Combine("data", "person-key-secret"), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidKeySetting_StopsTheAppAtStartWithTheSettingPath()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["Auth__ApiKeys__0__Name"] = "broken",
            ["Auth__ApiKeys__0__Hash"] = "plaintext-key",
            ["Auth__ApiKeys__0__Roles__0"] = "superuser",
        });
        Assert.NotEqual(0, await app.WaitForExitAsync());
        Assert.Contains("Auth:ApiKeys:0:Hash", app.Output, StringComparison.Ordinal);
        Assert.Contains("Auth:ApiKeys:0:Roles:0", app.Output, StringComparison.Ordinal);
    }

    /// <summary>The README's first command: <c>dotnet run --project src/Functions</c> serves the app itself (no Core Tools).</summary>
    [Fact]
    public async Task DotnetRun_TheReadmeCommand_ServesTheAppStandalone()
    {
        var project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(AppProcess.AppDll)!, "..", "..", ".."));
        var configuration = new DirectoryInfo(Path.GetDirectoryName(AppProcess.AppDll)!).Parent!.Name;
        var data = Path.Combine(Path.GetTempPath(), $"engagement-run-{Guid.NewGuid():N}");
        var port = AppProcess.FreePort();
        var info = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet");
        foreach (var argument in new[] { "run", "--project", project, "--no-build", "-c", configuration, "--", "--urls", $"http://127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(argument);
        }

        AppProcess.SetEnvironment(info, new Dictionary<string, string> { ["Storage__Sqlite__Path"] = Path.Combine(data, "engagement.db"), ["Demo__Enabled"] = "false" });
        try
        {
            await using var app = AppProcess.Launch(info, port, ownedRoot: null);
            var root = await ExpectAsync(app, await app.WaitUntilReadyAsync(), HttpStatusCode.OK);
            Assert.Equal("standalone", root.GetProperty("mode").GetString());
            await app.WaitForOutputAsync("development admin key");
            Assert.Contains($"Content root path: {project}", app.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
