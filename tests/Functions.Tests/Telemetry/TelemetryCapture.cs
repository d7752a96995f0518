using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Engagement.Functions.Tests.Telemetry;

/// <summary>
/// The app's OpenTelemetry pipeline with in-memory exporters added to each signal (the app's own instrumentation and
/// options stay as they are); <see cref="Flush"/> pushes out what the providers hold, instead of waiting for an interval.
/// </summary>
internal sealed class TelemetryCapture
{
    private readonly LockedList<Activity> _activities = new();
    private readonly LockedList<MetricSnapshot> _metrics = new();
    private readonly LockedList<LogRecord> _logs = new();

    public IReadOnlyList<Activity> Activities => _activities.Snapshot();

    public IReadOnlyList<LogRecord> Logs => _logs.Snapshot();

    public void Register(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_activities));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
        services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(_logs));
    }

    public static void Flush(IServiceProvider services)
    {
        Assert.True(services.GetRequiredService<TracerProvider>().ForceFlush(5_000));
        Assert.True(services.GetRequiredService<MeterProvider>().ForceFlush(5_000));
        Assert.True(services.GetRequiredService<LoggerProvider>().ForceFlush(5_000));
    }

    /// <summary>The latest value of a counter, summed over the points whose tags include all of <paramref name="tags"/>.</summary>
    public long Counter(string name, params (string Key, string Value)[] tags)
    {
        var metric = _metrics.Snapshot().LastOrDefault(m => m.Name == name);
        if (metric is null)
        {
            return 0;
        }

        long sum = 0;
        foreach (var point in metric.MetricPoints)
        {
            var pointTags = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in point.Tags)
            {
                pointTags[tag.Key] = tag.Value;
            }

            if (tags.All(t => pointTags.TryGetValue(t.Key, out var value) && Equals(value, t.Value)))
            {
                sum += point.GetSumLong();
            }
        }

        return sum;
    }

    /// <summary>Every tag key of every point of a metric: what an operator's chart could split by.</summary>
    public IReadOnlySet<string> TagKeys(string name) =>
        _metrics.Snapshot().Where(m => m.Name == name).SelectMany(m => m.MetricPoints).SelectMany(p => Keys(p)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The first finished span that matches. A server span ends just after its response went out, so it may be
    /// exported a moment after the client saw the answer: this waits for it (5 s at most), it does not sleep for a timer.
    /// </summary>
    public async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_activities.Snapshot().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), "no span matched; spans seen: " + string.Join(", ", _activities.Snapshot().Select(a => $"{a.Source.Name}/{a.Kind}/{a.DisplayName}")));
            await Task.Delay(20);
        }
    }

    private static List<string> Keys(MetricPoint point)
    {
        var keys = new List<string>();
        foreach (var tag in point.Tags)
        {
            keys.Add(tag.Key);
        }

        return keys;
    }

    /// <summary>The exporters add from the threads that end spans while a test reads.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public List<T> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// Activity sources and meters are process-wide: a provider of one test app also sees the spans and measurements of any
/// other app running at the same time. These tests therefore run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
