using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Storage.Tables;
using Engagement.Tests;

// Ingests attendance for many partnerships into one Azurite, through TableAttendanceStore (typed rows, checked and
// compared, conditional transactions of 100) and through the least one can do with Azure.Data.Tables: a loop of
// SubmitTransactionAsync with 100 plain TableEntity inserts carrying the same properties. Rounds alternate which
// path goes first; each round writes fresh tables and deletes them afterwards. Prints records/s for both, the CPU
// seconds of this process (the client side) and of Azurite, and the ratio (target: store ≥ 90 % of raw).
if (!TryArgs(out var records, out var partnerships, out var rounds, out var parallel, out var warmups))
{
    Console.Error.WriteLine("usage: TablesBench [--records N] [--partnerships N] [--rounds N] [--parallel N] [--warmup N]");
    return 2;
}

var perPartnership = records / partnerships;
const int PeoplePerMeeting = 40;
var total = perPartnership * partnerships;
Console.WriteLine($"Azure Table ingestion: {total:N0} attendance records per path and round, {partnerships} partnerships ({perPartnership} each, {PeoplePerMeeting} people per meeting), {parallel} partnership(s) at a time, {rounds} round(s) after {warmups} untimed warm-up partnership(s) per path, into Azurite on loopback.");
Console.WriteLine($"load average at start: {LoadAverage()}");

await using var azurite = await Azurite.StartAsync();
var azuriteProcess = AzuriteProcess();
var service = TableStoreClients.FromConnectionString(azurite.ConnectionString, TableStoreClients.Options(3, TimeSpan.FromMilliseconds(800)));

// Every batch is built before any clock starts: the figures measure the writing.
var batches = Enumerable.Range(0, partnerships).ToDictionary(p => $"partnership{p:D3}", Batch);
var warmup = Batch(-1);

// Warm both paths up (JIT tiering of the store and of Azure.Data.Tables, connections) on tables outside the measured
// ones: whichever path ran first would otherwise pay for the SDK code both share.
var warmStorage = new TableStorage(service, "benchwarm", TimeProvider.System);
var warmStore = new TableAttendanceStore(warmStorage);
var warmRaw = service.GetTableClient("benchwarmraw");
await warmRaw.CreateIfNotExistsAsync();
for (var i = 0; i < warmups; i++)
{
    await warmStore.UpsertAttendanceAsync($"warmup{i}", warmup.Select(a => a with { PartnershipId = $"warmup{i}" }).ToList());
    await RawAsync(warmRaw, $"warmup{i}", warmup);
}

foreach (var table in warmStorage.TableNames.Append(warmRaw.Name))
{
    await service.DeleteTableAsync(table);
}

var results = new List<(int Round, string Path, double Seconds, double ClientCpu, double AzuriteCpu)>();
for (var round = 0; round < rounds; round++)
{
    var storage = new TableStorage(service, $"bench{round}s", TimeProvider.System);
    await storage.EnsureTablesAsync();
    var store = new TableAttendanceStore(storage);
    var raw = service.GetTableClient($"bench{round}raw");
    await raw.CreateIfNotExistsAsync();

    async Task StorePath() => results.Add(await MeasureAsync(round, "store", async partnership =>
    {
        var counts = await store.UpsertAttendanceAsync(partnership, batches[partnership]);
        Check(counts.Created == perPartnership, $"{partnership}: expected {perPartnership} created, got {counts}.");
    }));

    async Task RawPath() => results.Add(await MeasureAsync(round, "raw", partnership => RawAsync(raw, partnership, batches[partnership])));

    if (round % 2 == 0)
    {
        await StorePath();
        await RawPath();
    }
    else
    {
        await RawPath();
        await StorePath();
    }

    // Both tables hold every record; sent again, the store finds every record unchanged.
    var storeCount = await CountAsync(service.GetTableClient($"bench{round}sData"));
    var rawCount = await CountAsync(raw);
    Check(storeCount == total && rawCount == total, $"Round {round}: the store holds {storeCount} records, the raw table {rawCount}; expected {total}.");
    var again = await store.UpsertAttendanceAsync("partnership000", batches["partnership000"]);
    Check(again.Unchanged == perPartnership, $"Round {round}: sent again, partnership000 counted {again}.");

    foreach (var table in storage.TableNames.Append(raw.Name))
    {
        await service.DeleteTableAsync(table);
    }
}

Console.WriteLine();
Console.WriteLine($"{"round",5} {"path",-40} {"records",9} {"seconds",8} {"records/s",10} {"client CPU s",13} {"Azurite CPU s",14}");
foreach (var r in results)
{
    Console.WriteLine($"{r.Round,5} {Describe(r.Path),-40} {total,9:N0} {r.Seconds,8:F2} {total / r.Seconds,10:N0} {r.ClientCpu,13:F2} {r.AzuriteCpu,14:F2}");
}

var storeRate = Median(results.Where(r => r.Path == "store").Select(r => total / r.Seconds));
var rawRate = Median(results.Where(r => r.Path == "raw").Select(r => total / r.Seconds));
var ratio = storeRate / rawRate;
var roundRatios = results.GroupBy(r => r.Round).Select(g => g.Single(r => r.Path == "raw").Seconds / g.Single(r => r.Path == "store").Seconds).ToList();
Console.WriteLine();
Console.WriteLine($"median records/s: store {storeRate:N0}, raw {rawRate:N0}; store / raw = {ratio:P0} (target ≥ 90 %: {(ratio >= 0.9 ? "PASS" : "BELOW TARGET")})");
Console.WriteLine($"store / raw within each round: {string.Join(", ", roundRatios.Select(r => r.ToString("P0", CultureInfo.InvariantCulture)))} (median {Median(roundRatios):P0})");
Console.WriteLine($"client CPU per 10,000 records (median): store {Median(results.Where(r => r.Path == "store").Select(r => r.ClientCpu)) * 10_000 / total:F3} s, raw {Median(results.Where(r => r.Path == "raw").Select(r => r.ClientCpu)) * 10_000 / total:F3} s");
Console.WriteLine($"load average at end: {LoadAverage()}");
Console.WriteLine("Azure's own scalability targets: ≈ 2,000 entities/s per partition, ≈ 20,000 transactions/s per account (1 KiB entities).");
return 0;

List<Attendance> Batch(int partnership) =>
    [.. Enumerable.Range(0, perPartnership).Select(i => new Attendance
    {
        PartnershipId = partnership < 0 ? "warmup" : $"partnership{partnership:D3}",
        MeetingId = $"m{i / PeoplePerMeeting:D3}",
        PersonId = $"person{i % PeoplePerMeeting:D2}",
        Status = i % 4 == 0 ? AttendanceStatus.Absent : AttendanceStatus.Present,
        SecondsAttended = i % 4 == 0 ? null : 3600 + i,
    })];

// The same properties the store writes for an attendance record, as plain inserts: no check, no comparison, no retry.
static async Task RawAsync(TableClient table, string partition, List<Attendance> rows)
{
    var now = TimeProvider.System.GetUtcNow();
    foreach (var chunk in rows.Chunk(100))
    {
        var actions = chunk.Select(a => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, TableKeys.Compose("att", a.MeetingId, a.PersonId))
        {
            ["MeetingId"] = a.MeetingId,
            ["PersonId"] = a.PersonId,
            ["Status"] = WireNames.Format(a.Status),
            ["SecondsAttended"] = a.SecondsAttended,
            ["UpdatedAt"] = now,
        }));
        await table.SubmitTransactionAsync(actions);
    }
}

async Task<(int, string, double, double, double)> MeasureAsync(int round, string path, Func<string, Task> ingest)
{
    using var self = Process.GetCurrentProcess();
    var clientBefore = self.TotalProcessorTime;
    var azuriteBefore = CpuOf(azuriteProcess);
    var clock = Stopwatch.StartNew();
    using var gate = new SemaphoreSlim(parallel);
    await Task.WhenAll(batches.Keys.Select(async partnership =>
    {
        await gate.WaitAsync();
        try
        {
            await ingest(partnership);
        }
        finally
        {
            gate.Release();
        }
    }));
    var seconds = clock.Elapsed.TotalSeconds;
    self.Refresh();
    return (round, path, seconds, (self.TotalProcessorTime - clientBefore).TotalSeconds, (CpuOf(azuriteProcess) - azuriteBefore).TotalSeconds);
}

static async Task<int> CountAsync(TableClient table)
{
    var count = 0;
    await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
    {
        count++;
    }

    return count;
}

static void Check(bool condition, string message)
{
    if (!condition)
    {
        Console.Error.WriteLine($"CHECK FAILED: {message}");
        Environment.Exit(1);
    }
}

static string Describe(string path) => path == "store" ? "TableAttendanceStore.UpsertAttendance" : "raw SubmitTransactionAsync loop";

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

// Azurite is this process's node child (Linux: /proc/<pid>/task/<tid>/children); its CPU time is read before and after each path.
static Process? AzuriteProcess()
{
    try
    {
        var children = Directory.GetDirectories($"/proc/{Environment.ProcessId}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(id => Process.GetProcessById(int.Parse(id, CultureInfo.InvariantCulture)));
        return children.FirstOrDefault(p => p.ProcessName.Contains("node", StringComparison.OrdinalIgnoreCase));
    }
    catch (IOException)
    {
        return null;
    }
}

static TimeSpan CpuOf(Process? process)
{
    if (process is null)
    {
        return TimeSpan.Zero;
    }

    process.Refresh();
    return process.TotalProcessorTime;
}

bool TryArgs(out int records, out int partnerships, out int rounds, out int parallel, out int warmups)
{
    records = partnerships = rounds = parallel = warmups = 0;
    return TryArg("--records", 50_000, out records) & TryArg("--partnerships", 50, out partnerships) & TryArg("--rounds", 5, out rounds) & TryArg("--parallel", 1, out parallel) & TryArg("--warmup", 20, out warmups)
        && records > 0 && partnerships is > 0 and <= 1000 && records >= partnerships && rounds > 0 && parallel > 0 && warmups >= 0;
}

bool TryArg(string name, int fallback, out int value)
{
    var index = Array.IndexOf(args, name);
    value = fallback;
    return index < 0 || (index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out value));
}
