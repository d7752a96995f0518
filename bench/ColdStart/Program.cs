using System.Diagnostics;
using System.Globalization;
using Engagement.Bench.ColdStart;
using Engagement.Bench.Ingestion;
using Engagement.EndToEnd.Tests;

// Cold-start benchmark (issue 12, item 5): see bench/README.md. Exit code 0 whether or not the target is met, 1 when a
// check fails (a publish, a start, an answer, an unclean exit), 2 for bad arguments.

ColdStartOptions options;
try
{
    options = ColdStartOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(ColdStartOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(ColdStartOptions.Usage);
    return 0;
}

if (options.StandaloneDll is { } given && !File.Exists(given))
{
    await Console.Error.WriteLineAsync($"--dll: '{given}' does not exist.");
    return 2;
}

if (RepositoryRoot() is not { } repository)
{
    await Console.Error.WriteLineAsync("Run the harness inside the repository: EngagementFunctions.sln was not found above the current or the harness's folder.");
    return 2;
}

using var cancel = BenchEnvironment.CancelOnCtrlC();
var total = Stopwatch.StartNew();
var work = Directory.CreateTempSubdirectory("engagement-coldstart-").FullName;
var publishRoot = options.PublishedFolder ?? Path.Combine(work, "publish");
return await BenchEnvironment.RunAsync(
    async () =>
    {
        Console.WriteLine($"machine:   {Environment.ProcessorCount} cores, .NET {Environment.Version}, {Variant.RuntimeIdentifier}; load {BenchEnvironment.LoadAverage()} (1, 5, 15 min)");
        Console.WriteLine($"work:      {work}");
        Console.WriteLine(Invariant($"plan:      {options.Warmup} warm-up + {options.Starts} timed starts of {string.Join(", ", options.Variants.Select(v => v.Name))}, interleaved; order {options.Order}; {options.StandaloneStarts} standalone starts"));

        var folders = new Dictionary<Variant, string>();
        foreach (var variant in options.Variants)
        {
            folders[variant] = Path.Combine(publishRoot, variant.Name);
            Console.Write($"publish:   {variant.Name,-10} ");
            var (published, elapsed) = await Publisher.EnsureAsync(repository, variant, folders[variant], cancel.Token);
            Console.WriteLine(Invariant($"{(published ? $"published in {elapsed.TotalSeconds:F0} s" : "taken as published before")}, {Publisher.Megabytes(folders[variant]):F0} MB: {folders[variant]}"));
        }

        // One store for every start of the real app, created once below and empty of data: what a start finds after the
        // first. PurgeExpiredData then finds nothing to purge.
        var data = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        var appSettings = HostProtocolSettings.For(data, options.AppEnvironment);
        var emptySettings = new Dictionary<string, string>(options.AppEnvironment) { ["Schedules__Tick"] = "0 */5 * * * *" };
        IReadOnlyDictionary<string, string> SettingsOf(Variant v) => v.IsApp ? appSettings : emptySettings;

        // Standalone runs its own scheduler, as `dotnet run` does (it only waits for the next occurrence at start).
        var standaloneSettings = new Dictionary<string, string>(appSettings) { ["Scheduler__Enabled"] = "true" };
        List<(string Name, string Dll)> standaloneDlls = options.StandaloneDll is { } dll
            ? [("--dll", dll)]
            : [.. options.Variants.Where(v => v.IsApp).Select(v => (v.Name, Path.Combine(folders[v], v.AssemblyFile)))];
        if (standaloneDlls.Count > 0 && (options.Variants.Any(v => v.IsApp) || options.StandaloneStarts > 0))
        {
            Console.Write($"store:     created by an untimed standalone start of {standaloneDlls[0].Name} ... ");
            var first = await StandaloneStart.RunAsync(standaloneDlls[0].Dll, standaloneSettings, cancel.Token);
            Console.WriteLine(Invariant($"{first.TotalSeconds:F2} s to the first answer"));
        }

        var samples = new List<StartSample>();
        for (var round = -options.Warmup; round < options.Starts; round++)
        {
            // Each round starts the variants once, beginning with a different one each round, so that load and caches
            // treat them alike.
            var line = new List<string>();
            for (var k = 0; k < options.Variants.Count; k++)
            {
                var variant = options.Variants[(Math.Abs(round) + k) % options.Variants.Count];
                var sample = await WorkerStart.RunAsync(variant, folders[variant], SettingsOf(variant), options.HttpFirst(Math.Max(round, 0)), cancel.Token);
                if (round >= 0)
                {
                    samples.Add(sample);
                }

                line.Add(Invariant($"{variant.Name} {sample.Loaded.TotalSeconds:F2}/{(sample.HttpFirst ? sample.Http : sample.Timer).TotalSeconds:F2}"));
            }

            Console.WriteLine(Invariant($"{(round < 0 ? "warm-up" : $"start {round + 1}"),-9}  {(options.HttpFirst(Math.Max(round, 0)) ? "HTTP" : "timer")} first; loaded/first s: {string.Join(", ", line)}"));
        }

        var standalone = new List<(string Name, IReadOnlyList<TimeSpan> Times)>();
        if (options.StandaloneStarts > 0)
        {
            var times = standaloneDlls.ToDictionary(d => d.Name, _ => new List<TimeSpan>());
            for (var i = 0; i < options.StandaloneStarts; i++)
            {
                // Alternating the order, as the worker starts rotate theirs.
                foreach (var (name, path) in i % 2 == 0 ? standaloneDlls : Enumerable.Reverse(standaloneDlls))
                {
                    times[name].Add(await StandaloneStart.RunAsync(path, standaloneSettings, cancel.Token));
                }
            }

            standalone.AddRange(standaloneDlls.Select(d => (d.Name, (IReadOnlyList<TimeSpan>)times[d.Name])));
            Console.WriteLine(Invariant($"standalone: {options.StandaloneStarts} starts of {string.Join(", ", standaloneDlls.Select(d => d.Name))} done"));
        }

        Report.Print(options.Variants, samples, standalone);
        Console.WriteLine(Invariant($"whole run: {total.Elapsed.TotalSeconds:F0} s"));
        return 0;
    },
    cancel,
    work,
    options.Keep,
    $"kept:      {work} (published folders in {publishRoot}: pass --published {publishRoot} to reuse them)");

static string? RepositoryRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EngagementFunctions.sln")))
            {
                return directory.FullName;
            }
        }
    }

    return null;
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
