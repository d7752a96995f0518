using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Engagement.Core.Domain;
using Engagement.Storage.Tables;
using Engagement.Tests;

// Ingests attendance for many partnerships into Azurite twice: through TableEngagementStore (reads what is
// stored, compares, writes conditional transactions of 100) and through a minimal loop of raw signed $batch
// requests carrying the same entities. Prints records/s for both and the ratio (target: store ≥ 80 % of raw).
var records = ArgValue("--records", 100_000);
var partnerships = ArgValue("--partnerships", 100);
var parallel = ArgValue("--parallel", 1);
var perPartnership = records / partnerships;
const int PeoplePerMeeting = 40;
var meetingsPerPartnership = (perPartnership + PeoplePerMeeting - 1) / PeoplePerMeeting;

Console.WriteLine($"Azure Table ingestion: {records:N0} attendance records, {partnerships} partnerships ({perPartnership} each: {meetingsPerPartnership} meetings × {PeoplePerMeeting} people), {parallel} partnership(s) at a time, into Azurite on loopback.");
await using var azurite = await Azurite.StartAsync();
var connection = TableConnection.Parse(azurite.ConnectionString);

List<Attendance> Batch(string partnership) =>
    [.. Enumerable.Range(0, perPartnership).Select(i => new Attendance
    {
        PartnershipId = partnership,
        MeetingId = $"m{i / PeoplePerMeeting:D3}",
        PersonId = $"person{i % PeoplePerMeeting:D2}",
        Status = i % 4 == 0 ? AttendanceStatus.Absent : AttendanceStatus.Present,
        SecondsAttended = 3600 + i,
    })];

// Warm both paths up (JIT, connections) on a partnership outside the measured set.
var store = new TableEngagementStore(new TableServiceClient(connection), "benchstore", TimeProvider.System);
await store.EnsureTablesAsync();
var raw = new RawBatchWriter(connection.Endpoint, connection.AccountName, connection.AccountKey!);
await new TableServiceClient(connection).CreateTableIfNotExistsAsync("benchraw");
await store.UpsertAttendanceAsync("warmup", Batch("warmup"));
foreach (var chunk in Batch("warmup").Chunk(100))
{
    await raw.SendAsync("benchraw", "warmup", chunk);
}

// 1. Through the store.
var storeSeconds = await TimeAsync(async partnership =>
{
    var counts = await store.UpsertAttendanceAsync(partnership, Batch(partnership));
    if (counts.Created != perPartnership)
    {
        throw new InvalidOperationException($"{partnership}: expected {perPartnership} created, got {counts}.");
    }
});

// 2. The same entities as raw signed $batch requests: no reads, no comparison, no retries.
var rawSeconds = await TimeAsync(async partnership =>
{
    var rows = Batch(partnership);
    for (var start = 0; start < rows.Count; start += 100)
    {
        await raw.SendAsync("benchraw", partnership, rows.Skip(start).Take(100).ToList());
    }
});

// Both tables must hold the same number of entities.
var storeCount = await new TableServiceClient(connection).GetTableClient("benchstoreData").QueryAsync(TableFilter.Create($"PartitionKey ne {"warmup"}"), select: ["PartitionKey"]).CountAsync();
var rawCount = await new TableServiceClient(connection).GetTableClient("benchraw").QueryAsync(TableFilter.Create($"PartitionKey ne {"warmup"}"), select: ["PartitionKey"]).CountAsync();
if (storeCount != perPartnership * partnerships || rawCount != storeCount)
{
    throw new InvalidOperationException($"Entity counts differ: store {storeCount}, raw {rawCount}.");
}

var total = perPartnership * partnerships;
var storeRate = total / storeSeconds;
var rawRate = total / rawSeconds;
Console.WriteLine();
Console.WriteLine($"{"path",-34} {"records",10} {"seconds",9} {"records/s",11}");
Console.WriteLine($"{"TableEngagementStore",-34} {total,10:N0} {storeSeconds,9:F2} {storeRate,11:N0}");
Console.WriteLine($"{"raw signed $batch loop",-34} {total,10:N0} {rawSeconds,9:F2} {rawRate,11:N0}");
Console.WriteLine($"store / raw = {storeRate / rawRate:P0} (target ≥ 80 %: {(storeRate / rawRate >= 0.8 ? "PASS" : "BELOW TARGET")})");
Console.WriteLine("Azure's own scalability targets: ≈ 2,000 entities/s per partition, ≈ 20,000 transactions/s per account (1 KiB entities).");
return 0;

async Task<double> TimeAsync(Func<string, Task> ingest)
{
    var clock = Stopwatch.StartNew();
    using var gate = new SemaphoreSlim(parallel);
    await Task.WhenAll(Enumerable.Range(0, partnerships).Select(async p =>
    {
        await gate.WaitAsync();
        try
        {
            await ingest($"partnership{p:D3}");
        }
        finally
        {
            gate.Release();
        }
    }));
    return clock.Elapsed.TotalSeconds;
}

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>The least one can do: build the multipart body by hand, sign it with Shared Key Lite, POST it.</summary>
internal sealed class RawBatchWriter(Uri endpoint, string account, string key)
{
    private readonly HttpClient _http = new();
    private readonly byte[] _key = Convert.FromBase64String(key);

    public async Task SendAsync(string table, string partition, IReadOnlyCollection<Attendance> rows)
    {
        var batch = "batch_" + Guid.NewGuid();
        var changeset = "changeset_" + Guid.NewGuid();
        var body = new StringBuilder();
        body.Append("--").Append(batch).Append("\r\nContent-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        foreach (var row in rows)
        {
            var rowKey = $"att|{row.MeetingId}|{row.PersonId}";
            body.Append("--").Append(changeset).Append("\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            body.Append("POST ").Append(endpoint).Append(table).Append(" HTTP/1.1\r\nAccept: application/json;odata=minimalmetadata\r\nPrefer: return-no-content\r\nContent-Type: application/json\r\nDataServiceVersion: 3.0;\r\n\r\n");
            body.Append(CultureInfo.InvariantCulture, $$"""{"PartitionKey":"{{partition}}","RowKey":"{{rowKey}}","MeetingId":"{{row.MeetingId}}","PersonId":"{{row.PersonId}}","Status":"{{WireNames.Format(row.Status)}}","SecondsAttended":{{row.SecondsAttended}},"UpdatedAt@odata.type":"Edm.DateTime","UpdatedAt":"2026-11-22T00:00:00.0000000Z"}""").Append("\r\n");
        }

        body.Append("--").Append(changeset).Append("--\r\n--").Append(batch).Append("--\r\n");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "$batch"));
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(date + "\n/" + account + request.RequestUri!.AbsolutePath)));
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", "2019-02-02");
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Add("Authorization", $"SharedKeyLite {account}:{signature}");
        request.Content = new StringContent(body.ToString(), Encoding.UTF8);
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={batch}");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted || text.Contains("HTTP/1.1 4", StringComparison.Ordinal) || text.Contains("HTTP/1.1 5", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Raw batch failed: {(int)response.StatusCode} {text[..Math.Min(400, text.Length)]}");
        }
    }
}
