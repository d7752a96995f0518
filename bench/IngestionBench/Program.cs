using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Engagement.Bench.Ingestion;

// Attendance ingestion benchmark: see bench/README.md. Exit code 0 whether or not the target is met,
// 1 when a check fails (a non-200 answer, a wrong count, a shape mismatch), 2 for bad arguments.

const string Partnership = "bench";
const string WarmupPartnership = "warmup";
const string ColdPartnership = "cold";
const double TargetRecordsPerSecond = 50_000;

BenchOptions options = null!;
if (await BenchEnvironment.StopBeforeRunAsync(
    () =>
    {
        options = BenchOptions.Parse(args);
        return (options.Help, options.DllPath);
    },
    BenchOptions.Usage) is { } exit)
{
    return exit;
}

using var cancel = BenchEnvironment.CancelOnCtrlC();

var workDirectory = Directory.CreateTempSubdirectory("engagement-ingestion-bench-").FullName;
var key = "bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
var keyHash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
return await BenchEnvironment.RunAsync(
    async () =>
    {
        Console.WriteLine($"app:      {options.DllPath}");
        Console.WriteLine($"data:     {workDirectory}");
        foreach (var (name, value) in options.AppEnvironment)
        {
            Console.WriteLine($"app env:  {name}={value}");
        }

        Console.WriteLine($"load:     {BenchEnvironment.LoadAverage()} (1, 5, 15 min; this machine has {Environment.ProcessorCount} cores: other work on it skews the seconds)");
        var workload = new Workload(Partnership, options.Records, options.People, options.BatchSize);
        var cold = new Workload(ColdPartnership, options.Records, options.People, options.BatchSize);
        var warmup = new Workload(WarmupPartnership, options.BatchSize * options.WarmupBatches, options.People, options.BatchSize);
        var repost = workload.Batches.Take(options.RepostBatches).ToList();
        Console.WriteLine($"workload: {options.Records:N0} attendance records of one partnership ({options.People} people × {workload.MeetingIds.Count:N0} meetings), " +
            $"{workload.Batches.Count:N0} requests of ≤ {options.BatchSize:N0} records, {workload.BodyBytes / 1024.0 / 1024.0:N1} MiB of JSON; {Environment.ProcessorCount} cores");
        Console.WriteLine($"warm-up:  {warmup.Batches.Count:N0} untimed requests ({warmup.Rows.Count:N0} records of partnership '{WarmupPartnership}') before each steady-state run");
        Console.WriteLine();

        // Run 1: a fresh app and file. The same number of records of another partnership first, timed right after
        // start (cold: the JIT is still tiering up); then the warm-up; then one client posts every batch in turn
        // (steady state) and re-posts the first ones.
        HttpRunResult coldRun, sequential, reposted;
        var run1 = await StartAsync("run 1", "http-1-client.db", [workload, cold, warmup]);
        try
        {
            coldRun = await RunAsync(run1, 1, "HTTP, 1 client, cold start", cold.Batches, expectUnchanged: false);
            await WarmUpAsync(run1, warmup);
            sequential = await RunAsync(run1, 1, "HTTP, 1 client", workload.Batches, expectUnchanged: false);
            reposted = await RunAsync(run1, 1, $"HTTP re-post of {repost.Count} batches", repost, expectUnchanged: true);
        }
        finally
        {
            await run1.DisposeAsync();
        }

        // After a hard kill the committed batches must all be in the file, in the table shape the floor copies.
        BareSqlite.CheckSameShape(run1.DatabasePath, Partnership, options.Records);

        // Run 2: another fresh app and file; after the warm-up, two clients post side by side.
        HttpRunResult concurrent;
        var run2 = await StartAsync("run 2", "http-2-clients.db", [workload, warmup]);
        try
        {
            await WarmUpAsync(run2, warmup);
            concurrent = await RunAsync(run2, 2, "HTTP, 2 clients", workload.Batches, expectUnchanged: false);
        }
        finally
        {
            await run2.DisposeAsync();
        }

        BareSqlite.CheckSameShape(run2.DatabasePath, Partnership, options.Records);

        Console.Write("bare SQLite, default synchronous ... ");
        var bare = BareSqlite.Run(Path.Combine(workDirectory, "bare-default.db"), Partnership, workload.Rows, options.BatchSize, synchronous: null);
        Console.WriteLine($"{bare.Elapsed.TotalSeconds:N2} s");
        Console.Write("bare SQLite, synchronous=NORMAL ... ");
        var bareNormal = BareSqlite.Run(Path.Combine(workDirectory, "bare-normal.db"), Partnership, workload.Rows, options.BatchSize, synchronous: "NORMAL");
        Console.WriteLine($"{bareNormal.Elapsed.TotalSeconds:N2} s");

        PrintTable(coldRun, sequential, concurrent, reposted, bare, bareNormal);
        return 0;
    },
    cancel,
    workDirectory,
    options.KeepData);

async Task<AppProcess> StartAsync(string name, string fileName, IReadOnlyList<Workload> seeds)
{
    var app = await AppProcess.StartAsync(options.DllPath, Path.Combine(workDirectory, fileName), keyHash, options.AppEnvironment, cancel.Token);
    try
    {
        Console.WriteLine($"{name}: app pid {app.ProcessId} at {app.BaseAddress}");
        using var client = new ApiClient(app.BaseAddress, key);
        foreach (var seed in seeds)
        {
            await HttpIngest.SeedAsync(client, seed, cancel.Token);
        }

        return app;
    }
    catch (BenchFailureException ex)
    {
        var log = app.LogTail;
        await app.DisposeAsync();
        throw new BenchFailureException($"{ex.Message}{Environment.NewLine}The app's output:{Environment.NewLine}{log}");
    }
    catch
    {
        await app.DisposeAsync();
        throw;
    }
}

// Untimed, on its own partnership, checked like the timed runs: lets the JIT tier up (it takes several hundred
// requests of 1,000 records on 2 cores), and fills connection pools and the page cache.
async Task WarmUpAsync(AppProcess app, Workload warmup)
{
    Console.Write($"warm-up, {warmup.Batches.Count:N0} requests ... ");
    using var client = new ApiClient(app.BaseAddress, key);
    try
    {
        var result = await HttpIngest.PostAsync([client], warmup.Batches, expectUnchanged: false, cancel.Token);
        Console.WriteLine($"{result.Elapsed.TotalSeconds:N2} s");
    }
    catch (BenchFailureException ex)
    {
        throw new BenchFailureException($"{ex.Message}{Environment.NewLine}The app's output:{Environment.NewLine}{app.LogTail}");
    }
}

async Task<HttpRunResult> RunAsync(AppProcess app, int clientCount, string name, IReadOnlyList<Batch> batches, bool expectUnchanged)
{
    Console.Write($"{name} ... ");
    var clients = Enumerable.Range(0, clientCount).Select(_ => new ApiClient(app.BaseAddress, key)).ToList();
    try
    {
        var cpuBefore = app.CpuTime;
        var result = await HttpIngest.PostAsync(clients, batches, expectUnchanged, cancel.Token);
        result = result with { AppCpu = app.CpuTime - cpuBefore };
        Console.WriteLine($"{result.Elapsed.TotalSeconds:N2} s");
        return result;
    }
    catch (BenchFailureException ex)
    {
        throw new BenchFailureException($"{ex.Message}{Environment.NewLine}The app's output:{Environment.NewLine}{app.LogTail}");
    }
    finally
    {
        clients.ForEach(c => c.Dispose());
    }
}

void PrintTable(HttpRunResult coldRun, HttpRunResult sequential, HttpRunResult concurrent, HttpRunResult reposted, BareRunResult bare, BareRunResult bareNormal)
{
    static double Rate(int records, TimeSpan elapsed) => records / elapsed.TotalSeconds;
    static string Verdict(double rate) => rate >= TargetRecordsPerSecond ? "PASS" : "BELOW TARGET";
    static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("N1", CultureInfo.InvariantCulture);
    static string HttpNote(HttpRunResult r) => $"{Verdict(Rate(r.Records, r.Elapsed))}; request p50 {Ms(r.MedianRequest)} ms, max {Ms(r.SlowestRequest)} ms";

    var rows = new List<(string Name, int Records, TimeSpan Elapsed, TimeSpan? Cpu, string Note)>
    {
        ("HTTP, 1 client, cold start", coldRun.Records, coldRun.Elapsed, coldRun.AppCpu, HttpNote(coldRun)),
        ("HTTP, 1 client (sequential), warm", sequential.Records, sequential.Elapsed, sequential.AppCpu, HttpNote(sequential)),
        ("HTTP, 2 concurrent clients, warm", concurrent.Records, concurrent.Elapsed, concurrent.AppCpu, HttpNote(concurrent)),
        ($"HTTP re-post, {reposted.Requests} batches (unchanged)", reposted.Records, reposted.Elapsed, reposted.AppCpu, $"all reported unchanged; request p50 {Ms(reposted.MedianRequest)} ms"),
        ($"bare SQLite (WAL, sync={bare.Synchronous})", bare.Records, bare.Elapsed, bare.Cpu, "floor: same durability as the app"),
        ($"bare SQLite (WAL, sync={bareNormal.Synchronous})", bareNormal.Records, bareNormal.Elapsed, bareNormal.Cpu, "reference only: not the app's durability"),
    };

    Console.WriteLine();
    Console.WriteLine($"{"run",-40} {"records",9} {"seconds",8} {"records/s",10} {"CPU s",6} {"rec/CPU-s",10}  note");
    Console.WriteLine(new string('-', 120));
    foreach (var (name, records, elapsed, cpu, note) in rows)
    {
        var cpuSeconds = cpu is { } c ? c.TotalSeconds.ToString("N2", CultureInfo.InvariantCulture) : "-";
        var perCpu = cpu is { TotalSeconds: > 0 } d ? Rate(records, d).ToString("N0", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {records,9:N0} {elapsed.TotalSeconds,8:N2} {Rate(records, elapsed),10:N0} {cpuSeconds,6} {perCpu,10}  {note}"));
    }

    Console.WriteLine(new string('-', 120));
    Console.WriteLine("CPU s: CPU time of the app process during the run (HTTP rows) or of this harness (bare rows); it is less");
    Console.WriteLine("       sensitive than seconds to other work on the machine. Load average now: " + BenchEnvironment.LoadAverage());
    var http = Rate(sequential.Records, sequential.Elapsed);
    var http2 = Rate(concurrent.Records, concurrent.Elapsed);
    var httpCold = Rate(coldRun.Records, coldRun.Elapsed);
    var floor = Rate(bare.Records, bare.Elapsed);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"our overhead: HTTP 1 client (warm) / bare = {http / floor:N2} (bare is {floor / http:N1}× faster); 2 clients / bare = {http2 / floor:N2}; cold start / bare = {httpCold / floor:N2}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target: ≥ {TargetRecordsPerSecond:N0} records/s over HTTP on this {Environment.ProcessorCount}-core machine (judged on 1 client, warm): {Verdict(http)} ({http:N0} records/s; cold start {Verdict(httpCold)}, {httpCold:N0} records/s)"));
}

/// <summary>Command-line options.</summary>
internal sealed record BenchOptions(string DllPath, int Records, int BatchSize, int People, int RepostBatches, int WarmupBatches, bool KeepData, bool Help, IReadOnlyDictionary<string, string> AppEnvironment)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/IngestionBench -- [options] [path/to/Engagement.Functions.dll]
          --records N      attendance records to post (default 200000)
          --batch N        records per request, at most 5000 (default 1000)
          --people N       people in the partnership (default 40); meetings = ceil(records / people)
          --repost N       batches re-posted to check they come back unchanged (default 20)
          --warmup N       untimed warm-up requests on another partnership before each warm run (default 600)
          --dll PATH       the built app (default src/Functions/bin/Release/net10.0/Engagement.Functions.dll under the repository root)
          --keep-data      keep the temporary SQLite files and print where they are
          --app-env K=V    an extra environment variable for the app, for experiments (repeatable; e.g. DOTNET_gcServer=0)
        """;

    public static BenchOptions Parse(string[] args)
    {
        int records = 200_000, batch = 1_000, people = 40, repost = 20, warmup = 600;
        var common = BenchArguments.Parse(args, (name, number) =>
        {
            switch (name)
            {
                case "--records": records = number(1, 10_000_000); break;
                case "--batch": batch = number(1, 5_000); break;
                case "--people": people = number(1, 10_000); break;
                case "--repost": repost = number(1, 1_000_000); break;
                case "--warmup": warmup = number(1, 100_000); break;
                default: return false;
            }

            return true;
        });

        return new BenchOptions(common.Dll, records, batch, people, repost, warmup, common.Keep, common.Help, common.Environment);
    }
}
