using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Engagement.Bench.Ingestion;
using Engagement.Core.Domain;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Dashboard.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Engagement.Bench.Dashboard;

/// <summary>Getting, checking, rendering and weighing the partnership page.</summary>
internal static partial class Page
{
    public static Task<byte[]> GetAsync(HttpClient client, Uri url, CancellationToken cancellationToken) => GetAsync(client, url, "text/html", cancellationToken);

    /// <summary>A response of the given media type, read to its end; anything else fails the run.</summary>
    public static async Task<byte[]> GetAsync(HttpClient client, Uri url, string mediaType, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != mediaType)
        {
            throw new BenchFailureException($"GET {url} answered {(int)response.StatusCode} {response.Content.Headers.ContentType}: {Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 400)]}");
        }

        return body;
    }

    /// <summary>The time to a page's status and headers (the body is rendered before them: no streaming rendering).</summary>
    public static async Task<int> HeadersAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? 200 : throw new BenchFailureException($"GET {url} answered {(int)response.StatusCode}.");
    }

    /// <summary>The answer must be the whole page: every organisation named, the document complete.</summary>
    public static void Check(byte[] page, IReadOnlyList<Organization> organizations)
    {
        var html = Encoding.UTF8.GetString(page);
        var missing = organizations.Where(o => !html.Contains(o.Name, StringComparison.Ordinal)).Select(o => o.Name).ToList();
        if (missing.Count > 0 || !html.TrimEnd().EndsWith("</html>", StringComparison.Ordinal))
        {
            throw new BenchFailureException($"The page does not name {missing.Count} organisation(s) ({string.Join(", ", missing.Take(3))}) or is cut short ({page.Length:N0} bytes).");
        }
    }

    /// <summary>As the page's own result renders it, without the HTTP response: a renderer per page, the culture set inside its dispatcher.</summary>
    public static async Task<string> RenderAsync(IServiceProvider services, ILoggerFactory loggers, PageContext context, PartnershipModel model)
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = PageLanguages.Culture(context.Language);
            var root = await renderer.RenderComponentAsync<PartnershipPage>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(PartnershipPage.Context)] = context,
                [nameof(PartnershipPage.Model)] = model,
            }));
            return root.ToHtmlString();
        });
    }

    /// <summary>
    /// The page's own result (<c>PageResult</c>: RazorComponentResult in the page's culture, with its headers) written
    /// into a request context of the app's services, without HTTP: the cost of the component result's writer.
    /// </summary>
    public static async Task<long> WriteResultAsync(IServiceProvider services, PageContext context, PartnershipModel model)
    {
        await using var scope = services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        http.Request.Path = $"/api/dashboard/partnerships/{Seed.PartnershipId}";
        using var body = new MemoryStream();
        http.Response.Body = body;
        await new PageResult<PartnershipPage>(context.Language, new { Context = context, Model = model }).ExecuteAsync(http);
        return body.Length;
    }

    public static long Compressed(byte[] page, bool gzip)
    {
        using var output = new MemoryStream();
        using (Stream compressor = gzip ? new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true) : new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(page);
        }

        return output.Length;
    }

    /// <summary>The page's weight by part: the head (its inlined style sheet), each <c>&lt;section&gt;</c> by its heading's id, the rest.</summary>
    public static IEnumerable<string> Weigh(byte[] page)
    {
        var html = Encoding.UTF8.GetString(page);
        var parts = new List<(string Name, int Bytes)>();
        var head = html.IndexOf("</head>", StringComparison.Ordinal);
        if (head > 0)
        {
            parts.Add(("head and style sheet", Encoding.UTF8.GetByteCount(html.AsSpan(0, head))));
        }

        foreach (Match section in Section().Matches(html))
        {
            parts.Add((section.Groups[1].Value, Encoding.UTF8.GetByteCount(section.Value)));
        }

        parts.Add(("the rest", page.Length - parts.Sum(p => p.Bytes)));
        return parts.OrderByDescending(p => p.Bytes).Select(p => $"{p.Name} {p.Bytes / 1024.0:N1} KB ({100.0 * p.Bytes / page.Length:N0} %)");
    }

    [GeneratedRegex("<section[^>]*aria-labelledby=\"([^\"]+)\"[^>]*>.*?</section>", RegexOptions.Singleline)]
    private static partial Regex Section();
}

/// <summary>A timed series: each run's milliseconds, and this process's CPU time and allocations per run.</summary>
internal sealed record Timed(IReadOnlyList<double> Milliseconds, double CpuMilliseconds, double AllocatedMegabytes)
{
    public int Count => Milliseconds.Count;

    public double Median => Percentile(0.5);

    public double P95 => Percentile(0.95);

    public double Max => Milliseconds.Max();

    /// <summary>The nearest-rank percentile.</summary>
    private double Percentile(double p)
    {
        var sorted = Milliseconds.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary><paramref name="warmup"/> untimed runs, then <paramref name="count"/> timed ones, one at a time.</summary>
    public static async Task<Timed> RunAsync<T>(int warmup, int count, Func<Task<T>> run)
    {
        for (var i = 0; i < warmup; i++)
        {
            await run();
        }

        var times = new List<double>(count);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        process.Refresh();
        return new Timed(times, (process.TotalProcessorTime - cpu).TotalMilliseconds / count, (GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1024.0 / 1024.0 / count);
    }
}
