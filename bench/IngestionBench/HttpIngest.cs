using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Engagement.Bench.Ingestion;

/// <summary>What a write answered: <c>{"created":n,"updated":n,"unchanged":n}</c>.</summary>
internal readonly record struct WriteCounts(int Created, int Updated, int Unchanged);

/// <summary>The figures of one timed HTTP run.</summary>
internal sealed record HttpRunResult(int Records, int Requests, TimeSpan Elapsed, TimeSpan MedianRequest, TimeSpan SlowestRequest)
{
    /// <summary>CPU time the app used during the run, when measured.</summary>
    public TimeSpan? AppCpu { get; init; }
}

/// <summary>One HTTP client of the app: its own connection, sending one request at a time.</summary>
internal sealed class ApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient _http;

    public ApiClient(Uri baseAddress, string key)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1 };
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>Sends a JSON body and returns the write counts; any status but <paramref name="expected"/> fails the run.</summary>
    public async Task<WriteCounts> SendAsync(HttpMethod method, string path, byte[] body, CancellationToken cancellationToken, params HttpStatusCode[] expected)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        HttpResponseMessage response;
        string text;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new BenchFailureException($"{method} /{path} failed: {ex.Message} {ex.InnerException?.Message}".TrimEnd());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchFailureException($"{method} /{path} got no answer within {_http.Timeout.TotalMinutes:N0} minutes.");
        }

        using var disposeResponse = response;
        if (!expected.Contains(response.StatusCode))
        {
            throw new BenchFailureException($"{method} /{path} answered {(int)response.StatusCode} {response.StatusCode}, expected {string.Join(" or ", expected.Select(s => (int)s))}: {Shorten(text)}");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return new WriteCounts(root.GetProperty("created").GetInt32(), root.GetProperty("updated").GetInt32(), root.GetProperty("unchanged").GetInt32());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BenchFailureException($"{method} /{path} answered {(int)response.StatusCode} with a body that is not write counts: {Shorten(text)}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Shorten(string text) => text.Length <= 2_000 ? text : text[..2_000] + "…";
}

internal static class HttpIngest
{
    /// <summary>Creates the partnership, its people and its meetings, checking that each was created.</summary>
    public static async Task SeedAsync(ApiClient client, Workload workload, CancellationToken cancellationToken)
    {
        var id = Uri.EscapeDataString(workload.PartnershipId);
        var partnership = await client.SendAsync(HttpMethod.Put, $"api/partnerships/{id}", workload.PartnershipBody, cancellationToken, HttpStatusCode.Created);
        Expect(partnership, new WriteCounts(1, 0, 0), $"PUT partnership '{workload.PartnershipId}'");
        var people = await client.SendAsync(HttpMethod.Post, $"api/partnerships/{id}/people", workload.PeopleBody, cancellationToken, HttpStatusCode.OK);
        Expect(people, new WriteCounts(workload.PersonIds.Count, 0, 0), "POST people");
        var meetings = 0;
        foreach (var body in workload.MeetingBodies)
        {
            var counts = await client.SendAsync(HttpMethod.Post, $"api/partnerships/{id}/meetings", body, cancellationToken, HttpStatusCode.OK);
            meetings += counts.Created;
        }

        if (meetings != workload.MeetingIds.Count)
        {
            throw new BenchFailureException($"Seeding created {meetings} meetings, expected {workload.MeetingIds.Count}.");
        }
    }

    /// <summary>
    /// Posts the batches with the given clients working side by side, each taking the next unsent batch, and checks
    /// every answer: all records created, or with <paramref name="expectUnchanged"/> all reported unchanged.
    /// </summary>
    public static async Task<HttpRunResult> PostAsync(IReadOnlyList<ApiClient> clients, IReadOnlyList<Batch> batches, bool expectUnchanged, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;
        var durations = new long[batches.Count];

        async Task WorkAsync(ApiClient client)
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                var batch = batches[index];
                var started = Stopwatch.GetTimestamp();
                var counts = await client.SendAsync(HttpMethod.Post, "api/attendance", batch.Body, stop.Token, HttpStatusCode.OK);
                durations[index] = Stopwatch.GetTimestamp() - started;
                var expected = expectUnchanged ? new WriteCounts(0, 0, batch.Count) : new WriteCounts(batch.Count, 0, 0);
                Expect(counts, expected, $"POST /api/attendance, batch {index}");
            }
        }

        async Task GuardedAsync(ApiClient client)
        {
            try
            {
                await WorkAsync(client);
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }

        var watch = Stopwatch.StartNew();
        var workers = clients.Select(GuardedAsync).ToArray();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // One worker failed and stopped the other: report the failure, not the cancellation.
            throw workers.Select(w => w.Exception?.InnerException).OfType<BenchFailureException>().FirstOrDefault()
                ?? throw new BenchFailureException("A client was cancelled without a recorded failure.");
        }

        watch.Stop();
        Array.Sort(durations);
        return new HttpRunResult(
            batches.Sum(b => b.Count),
            batches.Count,
            watch.Elapsed,
            Stopwatch.GetElapsedTime(0, durations[durations.Length / 2]),
            Stopwatch.GetElapsedTime(0, durations[^1]));
    }

    private static void Expect(WriteCounts actual, WriteCounts expected, string what)
    {
        if (actual != expected)
        {
            throw new BenchFailureException($"{what}: answered created={actual.Created} updated={actual.Updated} unchanged={actual.Unchanged}, expected created={expected.Created} updated={expected.Updated} unchanged={expected.Unchanged}.");
        }
    }
}
