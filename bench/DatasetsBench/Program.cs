using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Engagement.Bench.Exports;
using Engagement.Bench.Ingestion;

// PublishDatasets benchmark: see bench/README.md. Exit code 0 whether or not the targets are met, 1 when a check fails
// (a non-200 answer, a manifest that does not match the files or the rows seeded), 2 for bad arguments.

const string Partnership = "bench";
const long TargetGrowthBytes = 100_000_000;
const double TargetParquetShare = 0.20;

DatasetsBenchOptions options = null!;
if (await BenchEnvironment.StopBeforeRunAsync(
    () =>
    {
        options = DatasetsBenchOptions.Parse(args);
        return (options.Help, options.DllPath);
    },
    DatasetsBenchOptions.Usage) is { } exit)
{
    return exit;
}

using var cancel = BenchEnvironment.CancelOnCtrlC();

var workDirectory = Directory.CreateTempSubdirectory("engagement-datasets-bench-").FullName;
var datasets = Path.Combine(workDirectory, "datasets");
var adminKey = "bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
var environment = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["Demo__Enabled"] = "false",
    ["Exports__PersonKeySecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    ["Datasets__Folder"] = datasets,
    ["Datasets__RowGroupSize"] = options.RowGroupSize.ToString(CultureInfo.InvariantCulture),
};
foreach (var (name, value) in options.AppEnvironment)
{
    environment[name] = value;
}

AppProcess? app = null;
return await BenchEnvironment.RunAsync(
    async () =>
    {
        try
        {
            Console.WriteLine($"app:      {options.DllPath}");
            Console.WriteLine($"data:     {workDirectory}");
            Console.WriteLine($"load:     {BenchEnvironment.LoadAverage()} (1, 5, 15 min; this machine has {Environment.ProcessorCount} cores: other work on it skews the seconds)");
            var workload = new Workload(Partnership, options.Records, options.People, options.BatchSize);
            Console.WriteLine($"workload: '{Partnership}' {options.Records:N0} attendance records ({options.People} people × {workload.MeetingIds.Count:N0} meetings); row groups of {options.RowGroupSize:N0}");

            app = await AppProcess.StartAsync(options.DllPath, Path.Combine(workDirectory, "datasets.db"), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(adminKey))), environment, cancel.Token);
            Console.WriteLine($"app pid {app.ProcessId} at {app.BaseAddress}; resident {Mb(MemorySampler.Current(app.ProcessId))} MB after start");

            Console.Write("seeding over HTTP ... ");
            var seedWatch = Stopwatch.StartNew();
            using (var client = new ApiClient(app.BaseAddress, adminKey))
            {
                await HttpIngest.SeedAsync(client, workload, cancel.Token);
                await HttpIngest.PostAsync([client], workload.Batches, expectUnchanged: false, cancel.Token);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Records:N0} records in {seedWatch.Elapsed.TotalSeconds:N1} s; app resident {Mb(MemorySampler.Current(app.ProcessId))} MB"));

            using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);

            // Two runs on the same day: the first warms the path up (JIT, SQLite cache); the second, timed the same way, replaces
            // the first's snapshot, as a re-run of the day does.
            var runs = new List<RunResult>();
            foreach (var name in new[] { "first run", "second run (same day, replaces)" })
            {
                Console.Write($"POST /PublishDatasets, {name} ... ");
                await Task.Delay(TimeSpan.FromSeconds(1), cancel.Token);
                var cpuBefore = app.CpuTime;
                await using var sampler = MemorySampler.Start(app.ProcessId);
                var watch = Stopwatch.StartNew();
                using var response = await http.PostAsync("PublishDatasets", null, cancel.Token);
                var body = await response.Content.ReadAsStringAsync(cancel.Token);
                watch.Stop();
                var peak = await sampler.StopAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new BenchFailureException($"POST /PublishDatasets answered {(int)response.StatusCode}: {body}{Environment.NewLine}The app's output:{Environment.NewLine}{app.LogTail}");
                }

                runs.Add(new RunResult(name, watch.Elapsed, app.CpuTime - cpuBefore, sampler.Baseline, peak));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds:N2} s"));
            }

            var snapshot = Directory.EnumerateDirectories(datasets).Single();
            var manifest = Check(snapshot, options.Records);
            PrintTable(runs, manifest);
            return 0;
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    },
    cancel,
    workDirectory,
    options.KeepData);

// The manifest against the files: every file it names exists with its size and SHA-256, nothing else is there, and
// fact_attendance holds the rows seeded.
static SnapshotFigures Check(string snapshot, int records)
{
    using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(snapshot, "_manifest.json")));
    var named = new HashSet<string>(StringComparer.Ordinal);
    long rows = 0, parquetBytes = 0, csvBytes = 0, attendanceParquet = 0, attendanceCsv = 0, attendanceRows = 0;
    foreach (var table in manifest.RootElement.GetProperty("tables").EnumerateObject())
    {
        rows += table.Value.GetProperty("rows").GetInt64();
        foreach (var file in table.Value.GetProperty("files").EnumerateArray())
        {
            var path = file.GetProperty("path").GetString()!;
            var bytes = File.ReadAllBytes(Path.Combine(snapshot, path));
            named.Add(path);
            if (bytes.Length != file.GetProperty("bytes").GetInt64() || Convert.ToHexStringLower(SHA256.HashData(bytes)) != file.GetProperty("sha256").GetString())
            {
                throw new BenchFailureException($"{path}: size or SHA-256 differ from the manifest's.");
            }

            var parquet = file.GetProperty("format").GetString() == "parquet";
            (parquet ? ref parquetBytes : ref csvBytes) += bytes.Length;
            if (table.Name == "fact_attendance")
            {
                (parquet ? ref attendanceParquet : ref attendanceCsv) += bytes.Length;
                attendanceRows += parquet ? file.GetProperty("rows").GetInt64() : 0;
            }
        }
    }

    var onDisk = Directory.EnumerateFiles(snapshot, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(snapshot, f)).Where(f => f != "_manifest.json").ToHashSet(StringComparer.Ordinal);
    if (!onDisk.SetEquals(named))
    {
        throw new BenchFailureException($"The snapshot holds {onDisk.Count} files, the manifest names {named.Count}.");
    }

    if (attendanceRows != records)
    {
        throw new BenchFailureException($"fact_attendance: {attendanceRows:N0} rows published, {records:N0} seeded.");
    }

    return new SnapshotFigures(rows, attendanceRows, named.Count, parquetBytes, csvBytes, attendanceParquet, attendanceCsv);
}

static string Mb(long bytes) => (bytes / 1_000_000.0).ToString("N0", CultureInfo.InvariantCulture);

static void PrintTable(List<RunResult> runs, SnapshotFigures snapshot)
{
    Console.WriteLine();
    Console.WriteLine($"{"run",-34} {"rows",10} {"seconds",8} {"rows/s",10} {"CPU s",6} {"RSS before",10} {"RSS peak",9} {"growth",7}");
    Console.WriteLine(new string('-', 102));
    foreach (var r in runs)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Name,-34} {snapshot.Rows,10:N0} {r.Elapsed.TotalSeconds,8:N2} {snapshot.Rows / r.Elapsed.TotalSeconds,10:N0} {r.AppCpu.TotalSeconds,6:N2} {Mb(r.MemoryBaseline),10} {Mb(r.MemoryPeak),9} {Mb(r.MemoryGrowth),7}"));
    }

    Console.WriteLine(new string('-', 102));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"snapshot: {snapshot.Files} files, {snapshot.Rows:N0} rows in all tables ({snapshot.AttendanceRows:N0} of fact_attendance); Parquet {Mb(snapshot.ParquetBytes)} MB, CSV {Mb(snapshot.CsvBytes)} MB"));
    Console.WriteLine("rows = every table's rows, each written twice (Parquet and CSV). RSS: the app's resident memory (MB) just before the");
    Console.WriteLine("run and its peak during it (VmRSS sampled every 50 ms, and VmHWM reset at the start); growth = peak - before.");
    Console.WriteLine("Load average now: " + BenchEnvironment.LoadAverage());
    var worst = runs.Max(r => r.MemoryGrowth);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"target: app peak memory growth ≤ {Mb(TargetGrowthBytes)} MB: {(worst <= TargetGrowthBytes ? "PASS" : "ABOVE TARGET")} ({Mb(worst)} MB at most)"));
    var share = (double)snapshot.AttendanceParquetBytes / snapshot.AttendanceCsvBytes;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"target: fact_attendance Parquet ≤ {TargetParquetShare:P0} of its CSV: {(share <= TargetParquetShare ? "PASS" : "ABOVE TARGET")} ({snapshot.AttendanceParquetBytes:N0} bytes against {snapshot.AttendanceCsvBytes:N0}: {share:P1}; all tables {(double)snapshot.ParquetBytes / snapshot.CsvBytes:P1})"));
}

internal sealed record RunResult(string Name, TimeSpan Elapsed, TimeSpan AppCpu, long MemoryBaseline, long MemoryPeak)
{
    public long MemoryGrowth => MemoryPeak - MemoryBaseline;
}

internal sealed record SnapshotFigures(long Rows, long AttendanceRows, int Files, long ParquetBytes, long CsvBytes, long AttendanceParquetBytes, long AttendanceCsvBytes);

/// <summary>Command-line options.</summary>
internal sealed record DatasetsBenchOptions(string DllPath, int Records, int BatchSize, int People, int RowGroupSize, bool KeepData, bool Help, IReadOnlyDictionary<string, string> AppEnvironment)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/DatasetsBench -- [options] [path/to/Engagement.Functions.dll]
          --records N         attendance records of the partnership, published (default 1000000)
          --batch N           records per ingestion request while seeding, at most 5000 (default 5000)
          --people N          people in the partnership (default 40); meetings = ceil(records / people)
          --row-group-size N  the app's Datasets:RowGroupSize (default 100000)
          --dll PATH          the built app (default src/Functions/bin/Release/net10.0/Engagement.Functions.dll under the repository root)
          --keep-data         keep the temporary SQLite file and the snapshot and print where they are
          --app-env K=V       an extra environment variable for the app, for experiments (repeatable)
        """;

    public static DatasetsBenchOptions Parse(string[] args)
    {
        int records = 1_000_000, batch = 5_000, people = 40, rowGroupSize = 100_000;
        var common = BenchArguments.Parse(args, (name, number) =>
        {
            switch (name)
            {
                case "--records": records = number(1, 10_000_000); break;
                case "--batch": batch = number(1, 5_000); break;
                case "--people": people = number(1, 10_000); break;
                case "--row-group-size": rowGroupSize = number(1, 1_000_000); break;
                default: return false;
            }

            return true;
        });

        return new DatasetsBenchOptions(common.Dll, records, batch, people, rowGroupSize, common.Keep, common.Help, common.Environment);
    }
}
