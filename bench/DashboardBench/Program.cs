using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Engagement.Bench.Ingestion;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Exports;
using Engagement.Functions.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagement.Bench.Dashboard;

/// <summary>
/// The partnership page benchmark: see bench/README.md. Exit code 0 whether or not a target is met, 1 when a check
/// fails (an answer that is not the whole page), 2 for bad arguments.
/// </summary>
internal static class Harness
{
    private const double TargetMilliseconds = 100;
    private const double TargetKilobytes = 250;
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 17, 0, 0, TimeSpan.Zero); // noon in Montréal

    public static async Task<int> Main(string[] args)
    {
        DashboardBenchOptions options;
        try
        {
            options = DashboardBenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(DashboardBenchOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(DashboardBenchOptions.Usage);
            return 0;
        }

        // WebApplicationFactory finds the app's content root (src/Functions) in the MvcTestingAppManifest.json of the
        // current directory, as under a test runner; `dotnet run` starts elsewhere.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        using var cancel = BenchEnvironment.CancelOnCtrlC();
        var workDirectory = Directory.CreateTempSubdirectory("engagement-dashboard-bench-").FullName;
        return await BenchEnvironment.RunAsync(() => RunAsync(options, workDirectory, cancel.Token), cancel, workDirectory, options.Keep);
    }

    private static async Task<int> RunAsync(DashboardBenchOptions options, string workDirectory, CancellationToken cancellationToken)
    {
        Console.WriteLine($"data:     {workDirectory}");
        Console.WriteLine($"load:     {BenchEnvironment.LoadAverage()} (1, 5, 15 min; this machine has {Environment.ProcessorCount} cores: other work on it skews the milliseconds)");
        var seeding = Stopwatch.StartNew();
        var seed = Seed.Generate(options.Organizations, options.Meetings, options.ScoreEvery, Today);
        await using var app = new BenchApp(workDirectory, Now, options.Kestrel);
        await seed.WriteAsync(app.Services.GetRequiredService<EngagementStores>());
        Console.WriteLine($"workload: 1 partnership, {seed.Organizations.Count} organisations, {seed.People.Count} people, {seed.Representations.Count} representations, " +
            $"{seed.Meetings.Count} meetings over 12 months, {seed.Attendance.Count:N0} attendance records, {seed.Snapshots.Count:N0} scores ({(options.ScoreEvery == 1 ? "daily" : $"every {options.ScoreEvery} days")}), " +
            $"{seed.Alerts.Count} open alerts, {seed.Submissions.Count} CACIS answers, a plan of {seed.Plan.Actions.Count} actions ({seed.Plan.Updates.Count} updates, {seed.Plan.Requests.Count} sheets asked); seeded through the app's stores in {seeding.Elapsed.TotalSeconds:N1} s");
        Console.WriteLine($"page:     GET /api/dashboard/partnerships/{Seed.PartnershipId}?lang=fr as a signed-in coordinator (names, forms), period 12 months, day {Today:yyyy-MM-dd}; " +
            (options.Kestrel ? "Kestrel on a loopback port" : "TestServer (in memory)"));
        Console.WriteLine($"runs:     every series {options.Warmup} times untimed, together; then each {options.Requests} times, one run at a time (the store reads a quarter as many)");
        Console.WriteLine();

        // The page over HTTP, as a browser gets it, right after start (cold), checked and kept.
        using var client = await app.DashboardClientAsync();
        var url = new Uri($"/api/dashboard/partnerships/{Seed.PartnershipId}?lang=fr", UriKind.Relative);
        var first = Stopwatch.StartNew();
        var page = await Page.GetAsync(client, url, cancellationToken);
        var firstMilliseconds = first.Elapsed.TotalMilliseconds;
        Page.Check(page, seed.Organizations);
        await File.WriteAllBytesAsync(Path.Combine(workDirectory, "page.html"), page, cancellationToken);
        var (model, result, render, stores) = await ApartAsync(app, seed, page.Length, cancellationToken);

        // The page over HTTP as a browser gets it; the same request until its headers only (the whole page is rendered
        // before them: no streaming rendering); what any page costs over HTTP (session, headers, the component result,
        // the style sheet): the sign-in page.
        var login = new Uri("/api/dashboard/login?lang=fr", UriKind.Relative);
        var planPage = new Uri($"/api/dashboard/partnerships/{Seed.PartnershipId}/plan?lang=fr", UriKind.Relative);
        var report = new Uri($"/api/dashboard/partnerships/{Seed.PartnershipId}/report?lang=fr", UriKind.Relative);
        var docx = new Uri($"/api/dashboard/partnerships/{Seed.PartnershipId}/report.docx?lang=fr", UriKind.Relative);
        var series = new (string Name, Func<Task<object>> Run)[]
        {
            ("GET the page over HTTP (warm)", async () => await Page.GetAsync(client, url, cancellationToken)),
            ("  the same until its headers", async () => await Page.HeadersAsync(client, url, cancellationToken)),
            ("  GET the sign-in page (a page's floor)", async () => await Page.GetAsync(client, login, cancellationToken)),
            ("  the model alone (stores -> records)", model),
            ("  the render as the page's result writes it", result),
            ("  the render alone (HtmlRenderer)", render),
            ("GET the action plan's page", async () => await Page.GetAsync(client, planPage, cancellationToken)),
            ("GET the progress report (12 months)", async () => await Page.GetAsync(client, report, cancellationToken)),
            ("GET the progress report as .docx", async () => await Page.GetAsync(client, docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", cancellationToken)),
        };

        // Every path warmed together before any is timed: timed one after the other with their own warm-up, the first
        // series met tier-0 code still being recompiled and ran up to twice as slow as the same work timed later.
        for (var i = 0; i < options.Warmup; i++)
        {
            foreach (var (_, run) in series)
            {
                await run();
            }
        }

        var rows = new List<(string Name, Timed Run)>();
        foreach (var (name, run) in series)
        {
            rows.Add((name, await Timed.RunAsync(0, options.Requests, run)));
        }

        rows.InsertRange(rows.FindIndex(r => r.Name.Contains("model", StringComparison.Ordinal)) + 1, await StoreReadsAsync(stores, options));

        Report(firstMilliseconds, rows, page);
        Console.WriteLine($"other pages: the action plan's page {(await Page.GetAsync(client, planPage, cancellationToken)).Length / 1024.0:N1} KB; the progress report {(await Page.GetAsync(client, report, cancellationToken)).Length / 1024.0:N1} KB; "
            + $"its .docx {(await Page.GetAsync(client, docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", cancellationToken)).Length / 1024.0:N1} KB");
        return 0;
    }

    /// <summary>
    /// The page's two halves apart: reading the stores into the model (with the handler's arguments), and rendering a
    /// prebuilt model to HTML through the page's own result and through <c>HtmlRenderer</c> to a string.
    /// </summary>
    private static async Task<(Func<Task<object>> Model, Func<Task<object>> Result, Func<Task<object>> Render, EngagementReaders Stores)> ApartAsync(BenchApp app, Seed seed, int pageLength, CancellationToken cancellationToken)
    {
        var stores = app.Services.GetRequiredService<EngagementReaders>();
        var secret = app.Services.GetRequiredService<IOptions<ExportOptions>>().Value.SecretBytes();
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "coordination"), new Claim(ClaimTypes.Role, Roles.Coordinator), new Claim(ApiKeyAuthenticator.AllPartnershipsClaim, "true")],
            ApiKeyAuthenticator.AuthenticationType));
        Task<PartnershipModel> ReadModel() => PartnershipModel.ReadAsync(seed.Partnership, user, stores, secret, Now, DashboardPeriod.Months12, PartnershipLanguage.French, cancellationToken);
        var model = (await ReadModel()) with { Antiforgery = ("ef_token", new string('x', 120)) };
        var context = new PageContext(PartnershipLanguage.French, $"/api/dashboard/partnerships/{Seed.PartnershipId}?period=12&lang=en", Today);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        if (await Page.WriteResultAsync(app.Services, context, model) is var written && written < pageLength * 0.9)
        {
            throw new BenchFailureException($"The page's result wrote {written:N0} bytes, the page over HTTP has {pageLength:N0}.");
        }

        return (
            async () => await ReadModel(),
            async () => await Page.WriteResultAsync(app.Services, context, model),
            async () => await Page.RenderAsync(app.Services, loggers, context, model),
            stores);
    }

    /// <summary>
    /// Each store read <c>PartnershipModel.ReadAsync</c> makes, alone (the same calls, listed here by hand), and, for
    /// comparison, the full snapshots of the whole period (reasons and feature values) that the page read before it read
    /// points.
    /// </summary>
    private static async Task<List<(string Name, Timed Run)>> StoreReadsAsync(EngagementReaders stores, DashboardBenchOptions options)
    {
        var (id, from, to) = (Seed.PartnershipId, Today.AddMonths(-12).AddDays(-1), Today.AddDays(1));
        var reads = new (string Name, Func<Task<int>> Read)[]
        {
            ("roster", async () => (await stores.Roster.GetRosterAsync(id)).Organizations.Count),
            ("meetings", async () => (await stores.Attendance.ListMeetingsAsync(id)).Count),
            ("risk points of the period", async () => (await stores.Risk.ListRiskPointsAsync(id, from, to)).Count),
            ("risk snapshots of the latest day", async () => (await stores.Risk.ListRiskSnapshotsAsync(id, Today, Today)).Count),
            ("attendance", async () => (await stores.Attendance.ListAttendanceAsync(id)).Count),
            ("alerts", async () => (await stores.Alerts.ListAlertsAsync(id)).Count),
            ("form submissions", async () => (await stores.Forms.ListFormSubmissionsAsync(id)).Count),
            ("(before: full snapshots of the period)", async () => (await stores.Risk.ListRiskSnapshotsAsync(id, from, to)).Count),
        };
        var runs = new List<(string, Timed)>();
        foreach (var (name, read) in reads)
        {
            runs.Add(("    " + name, await Timed.RunAsync(Math.Max(1, options.Warmup / 4), Math.Max(10, options.Requests / 4), read)));
        }

        return runs;
    }

    private static void Report(double firstMilliseconds, List<(string Name, Timed Run)> rows, byte[] page)
    {
        Console.WriteLine("run                                              n   median ms   p95 ms   max ms   CPU ms/run   alloc MB/run");
        Console.WriteLine(new string('-', 108));
        Console.WriteLine($"{"first request after start (cold)",-44} {1,5} {firstMilliseconds,11:N1}");
        foreach (var (name, run) in rows)
        {
            Console.WriteLine($"{name,-44} {run.Count,5} {run.Median,11:N1} {run.P95,8:N1} {run.Max,8:N1} {run.CpuMilliseconds,12:N1} {run.AllocatedMegabytes,14:N1}");
        }

        Console.WriteLine(new string('-', 108));
        var kilobytes = page.Length / 1024.0;
        Console.WriteLine($"page weight: {kilobytes:N1} KB of HTML ({page.Length:N0} bytes); gzip {Page.Compressed(page, gzip: true) / 1024.0:N1} KB, brotli {Page.Compressed(page, gzip: false) / 1024.0:N1} KB (the app sends it uncompressed)");
        Console.WriteLine($"where the bytes are: {string.Join("; ", Page.Weigh(page))}");
        Console.WriteLine();
        var (http, model, render) = (rows[0].Run, rows.Single(r => r.Name.Contains("model", StringComparison.Ordinal)).Run, rows.Single(r => r.Name.Contains("HtmlRenderer", StringComparison.Ordinal)).Run);
        Console.WriteLine($"target: partnership page rendered server-side in ≤ {TargetMilliseconds:N0} ms: {Verdict(http.Median <= TargetMilliseconds)} " +
            $"(median {http.Median:N1} ms = {http.Median / TargetMilliseconds:N2}× the target, p95 {http.P95:N1} ms = {http.P95 / TargetMilliseconds:N2}×; model {model.Median:N1} ms, render {render.Median:N1} ms)");
        Console.WriteLine($"target: page weight ≤ {TargetKilobytes:N0} KB: {Verdict(kilobytes <= TargetKilobytes)} ({kilobytes:N1} KB = {kilobytes / TargetKilobytes:N2}× the target)");
        Console.WriteLine($"load:     {BenchEnvironment.LoadAverage()} at the end");
    }

    private static string Verdict(bool met) => met ? "PASS" : "FAIL";
}

/// <summary>The harness's options.</summary>
internal sealed record DashboardBenchOptions(int Organizations, int Meetings, int ScoreEvery, int Requests, int Warmup, bool Kestrel, bool Keep, bool Help)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/DashboardBench -- [options]
          --organizations N   organisations of the partnership (default 40)
          --meetings N        meetings over the last 12 months (default 36)
          --score-every N     days between two stored scores over the year (default 1: the scoring runs daily)
          --requests N        timed runs of each series (default 200)
          --warmup N          untimed rounds of every series, together, before any is timed (default 50)
          --kestrel           serve the app with Kestrel on a loopback port instead of the TestServer (in memory)
          --keep-data         keep the work folder (the SQLite file, the page as page.html) and print where it is
        """;

    public static DashboardBenchOptions Parse(string[] args)
    {
        var options = new DashboardBenchOptions(40, 36, 1, 200, 50, Kestrel: false, Keep: false, Help: false);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            int Number(int min, int max) =>
                i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                    ? value
                    : throw new ArgumentException($"{name} needs a whole number from {min} to {max}.");

            options = name switch
            {
                "--organizations" => options with { Organizations = Number(1, 1000) },
                "--meetings" => options with { Meetings = Number(1, 365) },
                "--score-every" => options with { ScoreEvery = Number(1, 365) },
                "--requests" => options with { Requests = Number(1, 100_000) },
                "--warmup" => options with { Warmup = Number(0, 100_000) },
                "--kestrel" => options with { Kestrel = true },
                "--keep-data" => options with { Keep = true },
                "-h" or "--help" => options with { Help = true },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }
}
