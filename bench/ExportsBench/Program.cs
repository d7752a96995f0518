using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Engagement.Bench.Exports;
using Engagement.Bench.Ingestion;

// Exports benchmark: see bench/README.md. Exit code 0 whether or not the targets are met, 1 when a check fails
// (a non-200 answer, a wrong row count, a short OData page), 2 for bad arguments.

const string LargePartnership = "bench";
const string SmallPartnership = "small";
const double TargetMegabytesPerSecond = 50;

ExportsBenchOptions options = null!;
if (await BenchEnvironment.StopBeforeRunAsync(
    () =>
    {
        options = ExportsBenchOptions.Parse(args);
        return (options.Help, options.DllPath);
    },
    ExportsBenchOptions.Usage) is { } exit)
{
    return exit;
}

using var cancel = BenchEnvironment.CancelOnCtrlC();

var workDirectory = Directory.CreateTempSubdirectory("engagement-exports-bench-").FullName;
var adminKey = NewKey();
var smallKey = NewKey();
var largeKey = NewKey();

// Two analyst keys, each limited to one partnership, so that each export reads exactly one partnership's rows while
// both live in the same app and file.
var environment = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["Demo__Enabled"] = "false",
    ["Exports__PersonKeySecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    ["Exports__ODataPageSize"] = options.PageSize.ToString(CultureInfo.InvariantCulture),
    ["Auth__ApiKeys__1__Name"] = "bench-small",
    ["Auth__ApiKeys__1__Hash"] = Hash(smallKey),
    ["Auth__ApiKeys__1__Roles__0"] = "analyst",
    ["Auth__ApiKeys__1__Partnerships__0"] = SmallPartnership,
    ["Auth__ApiKeys__2__Name"] = "bench-large",
    ["Auth__ApiKeys__2__Hash"] = Hash(largeKey),
    ["Auth__ApiKeys__2__Roles__0"] = "analyst",
    ["Auth__ApiKeys__2__Partnerships__0"] = LargePartnership,
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
            var small = new Workload(SmallPartnership, options.SmallRecords, options.People, options.BatchSize);
            var large = new Workload(LargePartnership, options.Records, options.People, options.BatchSize);
            Console.WriteLine($"workload: '{LargePartnership}' {options.Records:N0} attendance records ({options.People} people × {large.MeetingIds.Count:N0} meetings), " +
                $"'{SmallPartnership}' {options.SmallRecords:N0}; requests of ≤ {options.BatchSize:N0} records");

            app = await AppProcess.StartAsync(options.DllPath, Path.Combine(workDirectory, "exports.db"), Hash(adminKey), environment, cancel.Token);
            Console.WriteLine($"app pid {app.ProcessId} at {app.BaseAddress}; resident {Mb(MemorySampler.Current(app.ProcessId))} MB after start");

            Console.Write("seeding over HTTP ... ");
            var seedWatch = Stopwatch.StartNew();
            using (var client = new ApiClient(app.BaseAddress, adminKey))
            {
                foreach (var workload in new[] { small, large })
                {
                    await HttpIngest.SeedAsync(client, workload, cancel.Token);
                    await HttpIngest.PostAsync([client], workload.Batches, expectUnchanged: false, cancel.Token);
                }
            }

            seedWatch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.SmallRecords + options.Records:N0} records in {seedWatch.Elapsed.TotalSeconds:N1} s; app resident {Mb(MemorySampler.Current(app.ProcessId))} MB"));

            var runningApp = app;
            using var smallReader = new ExportReader(app.BaseAddress, smallKey);
            using var largeReader = new ExportReader(app.BaseAddress, largeKey);
            const string CsvPath = "api/exports/fact_attendance.csv";

            // The small export first: it also warms the export path up, and it runs before the large one has grown the heap.
            var smallCsv = await TimeAsync($"CSV, '{SmallPartnership}'", async () =>
            {
                var (bytes, rows) = await smallReader.ReadCsvAsync(CsvPath, cancel.Token);
                return (bytes, rows, 1);
            });
            Expect(smallCsv.Rows, options.SmallRecords, smallCsv.Name);
            var largeCsv = await TimeAsync($"CSV, '{LargePartnership}'", async () =>
            {
                var (bytes, rows) = await largeReader.ReadCsvAsync(CsvPath, cancel.Token);
                return (bytes, rows, 1);
            });
            Expect(largeCsv.Rows, options.Records, largeCsv.Name);

            var complete = true;
            var slowestPage = TimeSpan.Zero;
            var odata = await TimeAsync($"OData, '{LargePartnership}', {options.PageSize:N0}/page", async () =>
            {
                var pagesAtStart = Stopwatch.GetTimestamp();
                var (bytes, rows, pages, done, slowest) = await largeReader.ReadODataAsync("api/odata/fact_attendance", options.PageSize, options.ODataPages, (page, rowsSoFar) =>
                {
                    if (page % 20 == 0)
                    {
                        Console.Write(string.Create(CultureInfo.InvariantCulture, $"[{page} pages, {rowsSoFar:N0} rows, {Stopwatch.GetElapsedTime(pagesAtStart).TotalSeconds:N0} s] "));
                    }
                }, cancel.Token);
                complete = done;
                slowestPage = slowest;
                return (bytes, rows, pages);
            });
            if (complete)
            {
                Expect(odata.Rows, options.Records, odata.Name);
            }
            else
            {
                Expect(odata.Rows, (long)odata.Requests * options.PageSize, odata.Name + " (stopped by --odata-pages)");
            }

            PrintTable(smallCsv, largeCsv, odata, complete, slowestPage);
            return 0;

            async Task<ReadResult> TimeAsync(string name, Func<Task<(long Bytes, long Rows, int Requests)>> read)
            {
                Console.Write($"{name} ... ");
                await Task.Delay(TimeSpan.FromSeconds(1), cancel.Token);
                var cpuBefore = runningApp.CpuTime;
                await using var sampler = MemorySampler.Start(runningApp.ProcessId);
                var watch = Stopwatch.StartNew();
                (long Bytes, long Rows, int Requests) figures;
                try
                {
                    figures = await read();
                }
                catch (BenchFailureException ex)
                {
                    throw new BenchFailureException($"{ex.Message}{Environment.NewLine}The app's output:{Environment.NewLine}{runningApp.LogTail}");
                }

                watch.Stop();
                var peak = await sampler.StopAsync();
                var result = new ReadResult(name, figures.Bytes, figures.Rows, figures.Requests, watch.Elapsed, runningApp.CpuTime - cpuBefore, sampler.Baseline, peak);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Elapsed.TotalSeconds:N2} s"));
                return result;
            }
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

static string NewKey() => "bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

static string Hash(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

static string Mb(long bytes) => (bytes / 1_000_000.0).ToString("N0", CultureInfo.InvariantCulture);

static void Expect(long actual, long expected, string what)
{
    if (actual != expected)
    {
        throw new BenchFailureException($"{what}: {actual:N0} rows received, expected {expected:N0}.");
    }
}

static void PrintTable(ReadResult smallCsv, ReadResult largeCsv, ReadResult odata, bool complete, TimeSpan slowestPage)
{
    Console.WriteLine();
    Console.WriteLine($"{"run",-32} {"rows",10} {"requests",8} {"MB",8} {"seconds",8} {"MB/s",7} {"rows/s",10} {"CPU s",6} {"RSS before",10} {"RSS peak",9} {"growth",7}");
    Console.WriteLine(new string('-', 128));
    foreach (var r in new[] { smallCsv, largeCsv, odata })
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Name,-32} {r.Rows,10:N0} {r.Requests,8:N0} {r.Megabytes,8:N1} {r.Elapsed.TotalSeconds,8:N2} {r.MegabytesPerSecond,7:N1} {r.RowsPerSecond,10:N0} {r.AppCpu.TotalSeconds,6:N2} {Mb(r.MemoryBaseline),10} {Mb(r.MemoryPeak),9} {Mb(r.MemoryGrowth),7}"));
    }

    Console.WriteLine(new string('-', 128));
    Console.WriteLine("MB = 1,000,000 bytes of response body. RSS: the app's resident memory (MB) just before the run and its peak during");
    Console.WriteLine("it (VmRSS sampled every 50 ms, and VmHWM reset at the start); growth = peak - before. CPU s: the app's CPU time.");
    Console.WriteLine("Load average now: " + BenchEnvironment.LoadAverage());
    var csvVerdict = largeCsv.MegabytesPerSecond >= TargetMegabytesPerSecond ? "PASS" : "BELOW TARGET";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"target: CSV export ≥ {TargetMegabytesPerSecond:N0} MB/s on this {Environment.ProcessorCount}-core machine: {csvVerdict} ({largeCsv.MegabytesPerSecond:N1} MB/s for {largeCsv.Rows:N0} rows)"));

    // Flat: the extra memory of an export does not follow its size. Allow 1.5× the small export's growth plus 16 MB
    // for noise (GC timing, sampling); anything beyond that grows with the rows.
    var flat = largeCsv.MemoryGrowth <= (1.5 * smallCsv.MemoryGrowth) + 16_000_000;
    var sizeRatio = (double)largeCsv.Rows / Math.Max(1, smallCsv.Rows);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"target: memory flat during the CSV export: {(flat ? "PASS" : "NOT FLAT")} (growth {Mb(smallCsv.MemoryGrowth)} MB for {smallCsv.Rows:N0} rows, {Mb(largeCsv.MemoryGrowth)} MB for {largeCsv.Rows:N0} rows, {sizeRatio:N0}× the rows)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"OData: {odata.Requests:N0} pages{(complete ? string.Empty : " (stopped by --odata-pages; not the whole feed)")}, {odata.RowsPerSecond:N0} rows/s, {odata.Elapsed.TotalSeconds / odata.Requests:N2} s per page on average, slowest {slowestPage.TotalSeconds:N2} s"));
}

/// <summary>Command-line options.</summary>
internal sealed record ExportsBenchOptions(string DllPath, int Records, int SmallRecords, int BatchSize, int People, int PageSize, int ODataPages, bool KeepData, bool Help, IReadOnlyDictionary<string, string> AppEnvironment)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/ExportsBench -- [options] [path/to/Engagement.Functions.dll]
          --records N      attendance records of the large partnership, exported and paged (default 1000000)
          --small N        attendance records of the small partnership, the memory comparison (default records / 10)
          --batch N        records per ingestion request while seeding, at most 5000 (default 5000)
          --people N       people per partnership (default 40); meetings = ceil(records / people)
          --page-size N    the app's Exports:ODataPageSize, rows per OData page (default 5000)
          --odata-pages N  stop paging after N pages (default 0: follow every nextLink to the end)
          --dll PATH       the built app (default src/Functions/bin/Release/net10.0/Engagement.Functions.dll under the repository root)
          --keep-data      keep the temporary SQLite file and print where it is
          --app-env K=V    an extra environment variable for the app, for experiments (repeatable)
        """;

    public static ExportsBenchOptions Parse(string[] args)
    {
        int records = 1_000_000, batch = 5_000, people = 40, pageSize = 5_000, odataPages = 0;
        int? small = null;
        var common = BenchArguments.Parse(args, (name, number) =>
        {
            switch (name)
            {
                case "--records": records = number(1, 10_000_000); break;
                case "--small": small = number(1, 10_000_000); break;
                case "--batch": batch = number(1, 5_000); break;
                case "--people": people = number(1, 10_000); break;
                case "--page-size": pageSize = number(1, 100_000); break;
                case "--odata-pages": odataPages = number(0, 1_000_000); break;
                default: return false;
            }

            return true;
        });

        return new ExportsBenchOptions(common.Dll, records, small ?? Math.Max(1, records / 10), batch, people, pageSize, odataPages, common.Keep, common.Help, common.Environment);
    }
}
