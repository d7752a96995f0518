using System.Diagnostics;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>
/// bench/ColdStart/EmptyWorker published once for a test class into a temporary folder, in the configuration the
/// tests were built in. The test project references the worker project, so its build is there and publish only
/// copies (<c>--no-build</c>); without that build it publishes from scratch.
/// </summary>
public sealed class PublishedEmptyWorker : IAsyncLifetime
{
    private readonly string _parent = Path.Combine(Path.GetTempPath(), $"engagement-emptyworker-{Guid.NewGuid():N}");

    public string Folder => Path.Combine(_parent, "app");

    public async Task InitializeAsync()
    {
        // tests/EndToEnd.Tests/bin/<Configuration>/net10.0/ → the repository root and the configuration.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var repo = output;
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "EngagementFunctions.sln")))
        {
            repo = repo.Parent;
        }

        var project = Path.Combine(repo?.FullName ?? throw new InvalidOperationException("Repository root not found."), "bench", "ColdStart", "EmptyWorker");
        var built = File.Exists(Path.Combine(project, "bin", configuration, output.Name, "Engagement.Bench.EmptyWorker.dll"));
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", Path.Combine(project, "EmptyWorker.csproj"), "-c", configuration, "-o", Folder, "-nologo" })
        {
            info.ArgumentList.Add(argument);
        }

        if (built)
        {
            info.ArgumentList.Add("--no-build");
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet publish {project} failed:\n{await stdout}\n{await stderr}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_parent, recursive: true);
        return Task.CompletedTask;
    }
}
