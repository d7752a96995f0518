using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using Engagement.Bench.Ingestion;

namespace Engagement.Bench.ColdStart;

/// <summary>
/// One app as published for the benchmark: the real app (src/Functions) or the empty worker, with or without
/// ReadyToRun. Both are published the same way, <c>dotnet publish -c Release -r RID --self-contained false</c>; only
/// <c>PublishReadyToRun</c> differs.
/// </summary>
internal sealed record Variant(string Name, bool IsApp, bool ReadyToRun)
{
    public static readonly IReadOnlyList<Variant> All =
    [
        new("app", IsApp: true, ReadyToRun: false),
        new("app-r2r", IsApp: true, ReadyToRun: true),
        new("empty", IsApp: false, ReadyToRun: false),
        new("empty-r2r", IsApp: false, ReadyToRun: true),
    ];

    /// <summary>The project, relative to the repository root.</summary>
    public string Project => IsApp ? Path.Combine("src", "Functions", "Functions.csproj") : Path.Combine("bench", "ColdStart", "EmptyWorker", "EmptyWorker.csproj");

    public string AssemblyFile => IsApp ? "Engagement.Functions.dll" : "Engagement.Bench.EmptyWorker.dll";

    /// <summary>The anonymous route asked for the first HTTP answer.</summary>
    public string HttpPath => IsApp ? "/api/health" : "/api/ping";

    /// <summary>A cheap timer: on an empty store the purge finds nothing; the empty worker's only logs a line.</summary>
    public string Timer => IsApp ? "PurgeExpiredData" : "Tick";

    /// <summary>"IL" or "R2R": the build both apps of one comparison share.</summary>
    public string Build => ReadyToRun ? "R2R" : "IL";

    /// <summary>The runtime identifier ReadyToRun needs; the IL variants get it too, so that only R2R differs.</summary>
    public static string RuntimeIdentifier => RuntimeInformation.RuntimeIdentifier;
}

/// <summary>Publishes the variants, or takes folders published before, and checks what each folder holds.</summary>
internal static class Publisher
{
    /// <summary>Returns <paramref name="folder"/> holding <paramref name="variant"/> published, publishing it when it is not there yet.</summary>
    public static async Task<(bool Published, TimeSpan Elapsed)> EnsureAsync(string repositoryRoot, Variant variant, string folder, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(folder, "worker.config.json")))
        {
            Check(variant, folder);
            return (false, TimeSpan.Zero);
        }

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "publish", Path.Combine(repositoryRoot, variant.Project), "-c", "Release", "-r", Variant.RuntimeIdentifier, "--self-contained", "false",
            $"-p:PublishReadyToRun={(variant.ReadyToRun ? "true" : "false")}", "-o", folder, "-nologo",
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new BenchFailureException("Could not start 'dotnet publish'.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new BenchFailureException($"dotnet {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:{Environment.NewLine}{await output}{await errors}");
        }

        Check(variant, folder);
        return (true, watch.Elapsed);
    }

    /// <summary>Megabytes (10^6 bytes) of files in the folder.</summary>
    public static double Megabytes(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / 1_000_000.0;

    /// <summary>
    /// The folder must be an isolated-worker app (worker.config.json) whose main assembly is precompiled exactly when
    /// the variant says so: a ReadyToRun image carries a managed native header, an IL-only one does not.
    /// </summary>
    private static void Check(Variant variant, string folder)
    {
        var assembly = Path.Combine(folder, variant.AssemblyFile);
        if (!File.Exists(assembly))
        {
            throw new BenchFailureException($"{folder} does not hold {variant.AssemblyFile}: not a published '{variant.Name}'.");
        }

        using var stream = File.OpenRead(assembly);
        using var reader = new PEReader(stream);
        var precompiled = reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        if (precompiled != variant.ReadyToRun)
        {
            throw new BenchFailureException($"{assembly} is {(precompiled ? "ReadyToRun" : "IL only")}, but variant '{variant.Name}' should be {(variant.ReadyToRun ? "ReadyToRun" : "IL only")}.");
        }
    }
}
