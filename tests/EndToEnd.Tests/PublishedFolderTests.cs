using System.IO.Compression;
using System.Text.Json;

namespace Engagement.EndToEnd.Tests;

/// <summary>What <c>dotnet publish src/Functions</c> writes: the standard .NET isolated-worker folder, and its zip.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class PublishedFolderTests(PublishedFunctionApp published)
{
    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();

    [Fact]
    public void PublishedFolder_IsTheStandardIsolatedWorkerOutput()
    {
        var worker = ReadJson(Path.Combine(published.Root, "worker.config.json")).GetProperty("description");
        Assert.Equal("dotnet-isolated", worker.GetProperty("language").GetString());
        Assert.Equal("dotnet", worker.GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("true", worker.GetProperty("workerIndexing").GetString());
        Assert.True(File.Exists(Path.Combine(published.Root, worker.GetProperty("defaultWorkerPath").GetString()!)));
        Assert.True(File.Exists(Path.Combine(published.Root, "Engagement.Functions.runtimeconfig.json")));

        var host = ReadJson(Path.Combine(published.Root, "host.json"));
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("api", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.False(host.TryGetProperty("customHandler", out _));

        var metadata = ReadJson(Path.Combine(published.Root, "functions.metadata"));
        var names = metadata.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
        Assert.Contains("ScoreRisk", names);
        Assert.Contains("PostAttendance", names);
        Assert.True(File.Exists(Path.Combine(published.Root, "extensions.json")));
        Assert.Empty(Directory.EnumerateFiles(published.Root, "function.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void Zip_HoldsTheFolder_WithItsUnixModes_AndOnlyTheTargetPlatformsNativeAssets()
    {
        using var zip = ZipFile.OpenRead(published.Zip);
        var files = Directory.EnumerateFiles(published.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(published.Root, f).Replace('\\', '/'), f => f);
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.Contains(zip.Entries, e => e.FullName == "host.json");
        Assert.Contains(zip.Entries, e => e.FullName == "functions.metadata");
        Assert.Contains(zip.Entries, e => e.FullName == "worker.config.json");
        Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".xml", StringComparison.Ordinal));
        if (published.Runtime != "any")
        {
            var platforms = zip.Entries.Where(e => e.FullName.StartsWith("runtimes/", StringComparison.Ordinal)).Select(e => e.FullName.Split('/')[1]).Distinct().ToList();
            Assert.All(platforms, p => Assert.True(p == published.Runtime || p == "unix", $"runtimes/{p} should not be published"));

            // A portable IL publish keeps the platform's native assets under runtimes/; a ReadyToRun publish is for
            // that platform and puts them beside the app.
            if (PublishedFunctionApp.ReadyToRun)
            {
                Assert.Contains(zip.Entries, e => e.FullName == "libe_sqlite3.so");
            }
            else
            {
                Assert.Contains(published.Runtime, platforms);
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            var modes = 0;
            foreach (var entry in zip.Entries.Where(e => files.ContainsKey(e.FullName)))
            {
                var mode = (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF);
                Assert.Equal(File.GetUnixFileMode(files[entry.FullName]), mode);
                modes += mode.HasFlag(UnixFileMode.UserExecute) ? 1 : 0;
            }

            Assert.True(File.GetUnixFileMode(Path.Combine(published.Root, "Engagement.Functions")).HasFlag(UnixFileMode.UserExecute));
            Assert.True(modes > 0, "no executable file in the zip");
        }
    }
}
