using System.Globalization;

namespace Engagement.Bench.Exports;

/// <summary>
/// Samples the resident set (VmRSS in /proc/PID/status) of the app every 50 ms while a run goes on and keeps the
/// highest value; the kernel's own high-water mark (VmHWM) is reset at the start through /proc/PID/clear_refs and
/// read at the end, so a peak between two samples is not missed.
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakRss;

    private MemorySampler(int pid)
    {
        _pid = pid;
        Baseline = ReadKiB(pid, "VmRSS") * 1024;
        _peakRss = Baseline;
        _loop = LoopAsync();
    }

    /// <summary>Resident bytes when sampling started.</summary>
    public long Baseline { get; }

    public static MemorySampler Start(int pid)
    {
        ResetHighWaterMark(pid);
        return new MemorySampler(pid);
    }

    /// <summary>Resident bytes of the app right now.</summary>
    public static long Current(int pid) => ReadKiB(pid, "VmRSS") * 1024;

    /// <summary>Stops sampling; the peak is the larger of the highest sample and the kernel's VmHWM since the start.</summary>
    public async Task<long> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return Math.Max(Interlocked.Read(ref _peakRss), ReadKiB(_pid, "VmHWM") * 1024);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var rss = ReadKiB(_pid, "VmRSS") * 1024;
                if (rss > Interlocked.Read(ref _peakRss))
                {
                    Interlocked.Exchange(ref _peakRss, rss);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private static void ResetHighWaterMark(int pid)
    {
        try
        {
            // "5" resets the peak resident set size (Linux 4.0+); without it VmHWM is the process's lifetime peak.
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The sampled peak still counts.
        }
    }

    private static long ReadKiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The app is gone or this is not Linux.
        }

        return 0;
    }
}
