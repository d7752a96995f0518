using System.Net;
using System.Net.Http.Json;
using Azure.Core.Pipeline;
using Engagement.Core.Storage;
using Engagement.Storage.Tables;
using Engagement.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Storage;

/// <summary>The app with <c>Storage:Provider = Tables</c>, on a real Azurite.</summary>
public sealed class TablesBackendTests : IAsyncLifetime
{
    private readonly string _location = Path.Combine(Path.GetTempPath(), $"azurite-{Guid.NewGuid():N}");
    private Azurite? _azurite;

    private Azurite Azurite => _azurite!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_location);
        _azurite = await Azurite.StartAsync(location: _location);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        Directory.Delete(_location, recursive: true);
    }

    private Dictionary<string, string> TableSettings() => new()
    {
        ["Storage:Provider"] = "Tables",
        ["Storage:Tables:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:Tables:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..12],
        ["Storage:Tables:MaxRetries"] = "1",
        ["Storage:Tables:RetryDelayMilliseconds"] = "10",
    };

    [Fact]
    public async Task Ingestion_OnTables_BehavesAsOnSqlite()
    {
        await using var app = new EngagementApp(settings: TableSettings());
        await app.SeedAsync();
        var client = app.ClientWithKey(EngagementApp.Keys.Ingest);
        var batch = new { partnershipId = "p1", records = new[] { new { meetingId = "m1", personId = "marie", status = "present" }, new { meetingId = "m1", personId = "jean", status = "absent" } } };

        Problem.AssertCounts(await Problem.JsonAsync(await client.PostAsJsonAsync("/api/attendance", batch)), 2, 0, 0);
        Problem.AssertCounts(await Problem.JsonAsync(await client.PostAsJsonAsync("/api/attendance", batch)), 0, 0, 2);

        var health = await Problem.JsonAsync(await app.CreateClient().GetAsync("/api/health"));
        Assert.Equal("tables", health.GetProperty("store").GetString());
        var meetings = await Problem.JsonAsync(await app.Admin().GetAsync("/api/partnerships/p1/meetings"));
        Assert.Equal(1, meetings[0].GetProperty("attendance").GetProperty("present").GetInt32());
    }

    [Fact]
    public async Task AzuriteStoppedDuringIngestion_Answers503_KeepsWholeTransactions_AndResendStoresEachRecordOnce()
    {
        var settings = TableSettings();
        var outage = new OutageSwitch();
        await using var app = new EngagementApp(settings: settings, services: services =>
        {
            // Only the transport is swapped: it stops the real Azurite just before a chosen $batch request goes out.
            services.AddSingleton(sp =>
            {
                var options = TableStoreClients.Options(1, TimeSpan.FromMilliseconds(10), new HttpClientTransport(new HttpClient(new OutageHandler(outage) { InnerHandler = new HttpClientHandler() })));
                return new TableStorage(TableStoreClients.FromConnectionString(Azurite.ConnectionString, options), settings["Storage:Tables:TablePrefix"], sp.GetRequiredService<TimeProvider>());
            });
        });
        var admin = app.Admin();
        (await admin.PutAsJsonAsync("/api/partnerships/p1", new { name = "Table p1" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/people", Enumerable.Range(0, 300).Select(i => new { id = $"person{i:D3}" }))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/meetings", new[] { new { id = "m1", start = "2026-01-15T13:30:00-05:00", end = "2026-01-15T16:00:00-05:00" } })).EnsureSuccessStatusCode();
        var batch = new { partnershipId = "p1", records = Enumerable.Range(0, 300).Select(i => new { meetingId = "m1", personId = $"person{i:D3}", status = i % 3 == 0 ? "absent" : "present" }).ToArray() };

        // The 300 records go out as three transactions of 100; Azurite stops as the second leaves.
        outage.StopBeforeBatch(2, Azurite.StopAsync);
        var failed = await admin.PostAsJsonAsync("/api/attendance", batch);
        await Problem.AssertAsync(failed, HttpStatusCode.ServiceUnavailable);

        _azurite = await Azurite.StartAsync(Azurite.Port, _location);
        var store = app.Services.GetRequiredService<EngagementStores>();
        var stored = await store.Attendance.GetAttendanceAsync("p1", "m1");
        Assert.Equal(100, stored.Count); // the first transaction, whole; nothing of the second

        var resent = await Problem.JsonAsync(await admin.PostAsJsonAsync("/api/attendance", batch));
        Problem.AssertCounts(resent, 200, 0, 100);
        Assert.Equal(300, (await store.Attendance.GetAttendanceAsync("p1", "m1")).Count);
        Problem.AssertCounts(await Problem.JsonAsync(await admin.PostAsJsonAsync("/api/attendance", batch)), 0, 0, 300);
    }

    private sealed class OutageSwitch
    {
        private int _batches;
        private int _stopAt = int.MaxValue;
        private Func<Task>? _stop;

        public void StopBeforeBatch(int number, Func<Task> stop)
        {
            _batches = 0;
            _stopAt = number;
            _stop = stop;
        }

        public async Task BeforeSendAsync(HttpRequestMessage request)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal) && Interlocked.Increment(ref _batches) == _stopAt && _stop is { } stop)
            {
                await stop();
            }
        }
    }

    private sealed class OutageHandler(OutageSwitch outage) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await outage.BeforeSendAsync(request);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
