using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Engagement.Bench.Ingestion;

namespace Engagement.Bench.Exports;

/// <summary>The figures of one timed read: bytes and rows received, requests made, wall clock, the app's CPU and memory.</summary>
internal sealed record ReadResult(string Name, long Bytes, long Rows, int Requests, TimeSpan Elapsed, TimeSpan AppCpu, long MemoryBaseline, long MemoryPeak)
{
    public double Megabytes => Bytes / 1_000_000.0;

    public double MegabytesPerSecond => Megabytes / Elapsed.TotalSeconds;

    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;

    public long MemoryGrowth => MemoryPeak - MemoryBaseline;
}

/// <summary>Reads exports the way a client would, as one caller (an API key): CSV streamed to the end, OData page by page.</summary>
internal sealed class ExportReader : IDisposable
{
    private readonly HttpClient _http;

    public ExportReader(Uri baseAddress, string key)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1, AutomaticDecompression = DecompressionMethods.None };
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>
    /// <c>GET path</c>, read in 64 KiB chunks that are counted and dropped (nothing is buffered), rows = line feeds
    /// minus the header line.
    /// </summary>
    public async Task<(long Bytes, long Rows)> ReadCsvAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchFailureException($"GET /{path} answered {(int)response.StatusCode} {response.StatusCode}: {await ShortBodyAsync(response, cancellationToken)}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[64 * 1024];
        long bytes = 0, lines = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return (bytes, lines - 1);
    }

    /// <summary>
    /// <c>GET path</c> and every <c>@odata.nextLink</c> after it, at most <paramref name="maxPages"/> pages (0: all);
    /// every page but the last must hold <paramref name="pageSize"/> rows.
    /// </summary>
    public async Task<(long Bytes, long Rows, int Pages, bool Complete, TimeSpan SlowestPage)> ReadODataAsync(string path, int pageSize, int maxPages, Action<int, long>? progress, CancellationToken cancellationToken)
    {
        long bytes = 0, rows = 0;
        var pages = 0;
        var slowest = TimeSpan.Zero;
        Uri? next = new(path, UriKind.Relative);
        while (next is not null && (maxPages == 0 || pages < maxPages))
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await _http.GetAsync(next, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new BenchFailureException($"GET {next} (page {pages + 1}) answered {(int)response.StatusCode} {response.StatusCode}: {await ShortBodyAsync(response, cancellationToken)}");
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            slowest = elapsed > slowest ? elapsed : slowest;
            bytes += body.Length;
            pages++;
            using var document = JsonDocument.Parse(body);
            var count = document.RootElement.GetProperty("value").GetArrayLength();
            rows += count;
            next = document.RootElement.TryGetProperty("@odata.nextLink", out var link) ? new Uri(link.GetString()!, UriKind.Absolute) : null;
            if (next is not null && count != pageSize)
            {
                throw new BenchFailureException($"OData page {pages} held {count} rows and a nextLink; expected {pageSize} rows per page.");
            }

            progress?.Invoke(pages, rows);
        }

        return (bytes, rows, pages, next is null, slowest);
    }

    public void Dispose() => _http.Dispose();

    private static async Task<string> ShortBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length <= 2_000 ? text : text[..2_000] + "…";
    }
}
