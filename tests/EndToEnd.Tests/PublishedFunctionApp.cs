using System.Diagnostics;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The folder <c>dotnet publish src/Functions</c> produces, published once for the class (from the build the tests
/// already have: <c>--no-build</c>, same configuration) into a temporary folder, with its zip.
/// </summary>
public sealed class PublishedFunctionApp : IAsyncLifetime
{
    private readonly string _parent = Path.Combine(Path.GetTempPath(), $"engagement-publish-{Guid.NewGuid():N}");

    public string Root => Path.Combine(_parent, "functionapp");

    public string Zip => Path.Combine(_parent, "functionapp.zip");

    public string PublishOutput { get; private set; } = string.Empty;

    /// <summary>The platform whose native assets the folder keeps (<c>any</c>: all).</summary>
    public string Runtime { get; private set; } = "any";

    /// <summary>
    /// IL unless ENGAGEMENT_E2E_READYTORUN=true: a ReadyToRun publish (the default of `dotnet publish`) compiles the app
    /// again for the platform, minutes on CI's two cores; the same tests pass on it (run them with the variable set).
    /// </summary>
    public static bool ReadyToRun => Environment.GetEnvironmentVariable("ENGAGEMENT_E2E_READYTORUN") == "true";

    public async Task InitializeAsync()
    {
        var dll = new FileInfo(AppProcess.AppDll);
        var configuration = dll.Directory!.Parent!.Name;
        var project = Path.GetFullPath(Path.Combine(dll.Directory.FullName, "..", "..", "..", "Functions.csproj"));
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The folder is for Linux x64 (Flex Consumption); here it is for the machine the tests run on.
        Runtime = OperatingSystem.IsLinux() ? $"linux-{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}" : "any";
        foreach (var argument in new[] { "publish", project, "-c", configuration, "-o", Root, "-nologo", $"-p:FunctionAppRuntime={Runtime}", $"-p:FunctionAppReadyToRun={(ReadyToRun ? "true" : "false")}" }.Concat(ReadyToRun ? [] : ["--no-build"]))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        PublishOutput = await output + await errors;
        Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{PublishOutput}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_parent, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The published folder is read-only to the tests that use it, so they share one publish.</summary>
[CollectionDefinition(Name)]
public sealed class PublishedAppCollection : ICollectionFixture<PublishedFunctionApp>
{
    public const string Name = "Published function app";
}
