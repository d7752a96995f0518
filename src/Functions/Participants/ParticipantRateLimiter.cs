using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Participants;

/// <summary>
/// In-process limits on the participants' pages, per client address and per signed link, in windows of one minute of
/// the app's clock: each (key, minute) has a <see cref="FixedWindowRateLimiter"/> that is never replenished, and the
/// minute after gets a fresh one, so the limits follow <see cref="TimeProvider"/> (tests move it) rather than a timer.
/// One instance serves one process: with several instances each enforces its own share, which is what an in-process
/// limit can promise.
/// </summary>
internal sealed class ParticipantRateLimiter(IOptions<ParticipantOptions> options, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, FixedWindowRateLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly Lock _pruneGate = new();
    private long _minute = -1;

    /// <summary>Takes one request of the address's allowance; false when it is spent for this minute.</summary>
    public bool TryAddress(IPAddress? address) =>
        TryAcquire("a\n" + (address?.ToString() ?? "unknown"), options.Value.RequestsPerMinutePerAddress);

    /// <summary>Takes one request of the link's allowance; false when it is spent for this minute.</summary>
    public bool TryLink(ParticipantLink link) => TryAcquire("l\n" + link.Subject, options.Value.RequestsPerMinutePerLink);

    /// <summary>Seconds until the current window ends (the Retry-After of a refusal).</summary>
    public int SecondsToNextWindow()
    {
        var now = time.GetUtcNow();
        var next = new DateTimeOffset((now.UtcTicks / Window.Ticks + 1) * Window.Ticks, TimeSpan.Zero);
        return Math.Max(1, (int)Math.Ceiling((next - now).TotalSeconds));
    }

    private bool TryAcquire(string key, int permits)
    {
        var minute = time.GetUtcNow().UtcTicks / Window.Ticks;
        Prune(minute);
        var limiter = _limiters.GetOrAdd(key + "\n" + minute, static (_, limit) => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = false,
        }), permits);
        using var lease = limiter.AttemptAcquire();
        return lease.IsAcquired;
    }

    /// <summary>Drops the limiters of past minutes once a new minute starts: memory follows one minute's callers.</summary>
    private void Prune(long minute)
    {
        if (Interlocked.Read(ref _minute) == minute)
        {
            return;
        }

        lock (_pruneGate)
        {
            if (_minute == minute)
            {
                return;
            }

            var current = "\n" + minute;
            foreach (var (key, limiter) in _limiters)
            {
                if (!key.EndsWith(current, StringComparison.Ordinal) && _limiters.TryRemove(key, out _))
                {
                    limiter.Dispose();
                }
            }

            Interlocked.Exchange(ref _minute, minute);
        }
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }
}

/// <summary>
/// The address a participant's request came from. Behind the Functions host (or a reverse proxy on the same machine)
/// the connection is the proxy's own loopback one: then the last <c>X-Forwarded-For</c> entry, the one the nearest proxy
/// (Azure's front end) added — entries before it are whatever the client sent. A direct connection is its own address.
/// </summary>
internal static class ClientAddress
{
    public static IPAddress? Of(HttpRequest request)
    {
        var remote = request.HttpContext.Connection.RemoteIpAddress;
        if ((remote is null || IPAddress.IsLoopback(remote)) && request.Headers["X-Forwarded-For"].LastOrDefault() is { Length: > 0 } forwarded)
        {
            var last = forwarded.Split(',')[^1].Trim();
            if (IPAddress.TryParse(last, out var address) || (IPEndPoint.TryParse(last, out var endPoint) && (address = endPoint.Address) is not null))
            {
                return address;
            }
        }

        return remote;
    }
}
