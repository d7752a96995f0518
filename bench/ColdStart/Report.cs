using System.Globalization;
using Engagement.Bench.Ingestion;

namespace Engagement.Bench.ColdStart;

/// <summary>The figures of a run: medians and ranges per variant and milestone, the ratio to the empty worker, the verdicts.</summary>
internal static class Report
{
    /// <summary>Ready within this many times the empty worker built the same way (issue 12).</summary>
    public const double TargetRatio = 1.3;

    private const int Width = 152;

    public static void Print(IReadOnlyList<Variant> variants, IReadOnlyList<StartSample> samples, IReadOnlyList<(string Name, IReadOnlyList<TimeSpan> Times)> standalone)
    {
        Console.WriteLine();
        Console.WriteLine("Seconds since the worker process was started: median (min-max) over the timed starts; n = starts counted.");
        Console.WriteLine("First HTTP answer and first timer done count the starts where that one was asked for first.");
        Console.WriteLine($"{"variant",-10} {"n",3} {"StartStream",-19} {"WorkerInitResponse",-19} {"functions loaded",-19} {"n",3} {"first HTTP answer",-19} {"n",3} {"first timer done",-19} {"worker CPU s",-19}");
        Console.WriteLine(new string('-', Width));
        foreach (var variant in variants)
        {
            var of = samples.Where(s => s.Variant == variant).ToList();
            var http = of.Where(s => s.HttpFirst).Select(s => s.Http).ToList();
            var timer = of.Where(s => !s.HttpFirst).Select(s => s.Timer).ToList();
            Console.WriteLine(Invariant($"{variant.Name,-10} {of.Count,3} {Range(of.Select(s => s.StartStream)),-19} {Range(of.Select(s => s.WorkerInit)),-19} {Range(of.Select(s => s.Loaded)),-19} {http.Count,3} {Range(http),-19} {timer.Count,3} {Range(timer),-19} {Range(of.Select(s => s.WorkerCpu)),-19}"));
        }

        Console.WriteLine(new string('-', Width));
        PrintAskedSecond(variants, samples);
        Console.WriteLine("worker CPU s: the worker's CPU time (user + system, all threads) once both first requests were answered.");
        Console.WriteLine("Load average now: " + BenchEnvironment.LoadAverage());
        Console.WriteLine();
        PrintVerdicts(variants, samples);
        PrintStandalone(standalone);
    }

    private static void PrintAskedSecond(IReadOnlyList<Variant> variants, IReadOnlyList<StartSample> samples)
    {
        var lines = new List<string>();
        foreach (var variant in variants)
        {
            var of = samples.Where(s => s.Variant == variant).ToList();
            var httpSecond = of.Where(s => !s.HttpFirst).Select(s => s.Http).ToList();
            var timerSecond = of.Where(s => s.HttpFirst).Select(s => s.Timer).ToList();
            if (httpSecond.Count > 0 || timerSecond.Count > 0)
            {
                lines.Add(Invariant($"  {variant.Name,-10} HTTP answer after the timer {Range(httpSecond)}; timer done after the HTTP answer {Range(timerSecond)}"));
            }
        }

        if (lines.Count > 0)
        {
            Console.WriteLine("Asked for second (same clock, not in the table):");
            lines.ForEach(Console.WriteLine);
        }
    }

    private static void PrintVerdicts(IReadOnlyList<Variant> variants, IReadOnlyList<StartSample> samples)
    {
        var ready = new Dictionary<Variant, (double Loaded, double Http, double Cpu)>();
        foreach (var variant in variants)
        {
            var of = samples.Where(s => s.Variant == variant).ToList();
            ready[variant] = (Median(of.Select(s => s.Loaded)), Median(of.Where(s => s.HttpFirst).Select(s => s.Http)), Median(of.Select(s => s.WorkerCpu)));
        }

        var comparisons = new List<(string Build, double Loaded, double Http, bool Pass)>();
        foreach (var build in new[] { "IL", "R2R" })
        {
            var app = variants.FirstOrDefault(v => v.IsApp && v.Build == build);
            var empty = variants.FirstOrDefault(v => !v.IsApp && v.Build == build);
            if (app is null || empty is null)
            {
                continue;
            }

            var loaded = ready[app].Loaded / ready[empty].Loaded;
            var http = ready[app].Http / ready[empty].Http;
            var pass = loaded <= TargetRatio && http <= TargetRatio;
            comparisons.Add((build, loaded, http, pass));
            Console.WriteLine(Invariant($"ready, real app / empty worker ({build}): functions loaded {ready[app].Loaded:F2} / {ready[empty].Loaded:F2} s = {loaded:F2}x; first HTTP answer {ready[app].Http:F2} / {ready[empty].Http:F2} s = {http:F2}x (worker CPU {ready[app].Cpu / ready[empty].Cpu:F2}x, not judged)"));
        }

        var appIl = variants.FirstOrDefault(v => v.IsApp && !v.ReadyToRun);
        var appR2r = variants.FirstOrDefault(v => v.IsApp && v.ReadyToRun);
        string? better = null;
        if (appIl is not null && appR2r is not null)
        {
            var (il, r2r) = (ready[appIl], ready[appR2r]);
            better = r2r.Http < il.Http ? "R2R" : "IL";
            Console.WriteLine(Invariant($"ReadyToRun for the real app: functions loaded {il.Loaded:F2} -> {r2r.Loaded:F2} s ({Change(il.Loaded, r2r.Loaded)}), first HTTP answer {il.Http:F2} -> {r2r.Http:F2} s ({Change(il.Http, r2r.Http)}): {(better == "R2R" ? "ReadyToRun is better" : "ReadyToRun is not better")}"));
        }

        if (comparisons.Count == 0)
        {
            Console.WriteLine("target: not judged (needs the real app and the empty worker of the same build among --variants)");
            return;
        }

        // The issue keeps the better build of the real app, so the verdict is that build's, against the empty worker built alike.
        var judged = comparisons.FirstOrDefault(c => c.Build == better);
        judged = judged.Build is null ? comparisons[0] : judged;
        Console.WriteLine(Invariant($"target: ready within {TargetRatio:F1}x the empty worker built the same way ({judged.Build}, the real app's better build{(better is null ? " measured" : string.Empty)}): {(judged.Pass ? "PASS" : "FAIL")} (functions loaded {judged.Loaded:F2}x, first HTTP answer {judged.Http:F2}x)"));
    }

    private static void PrintStandalone(IReadOnlyList<(string Name, IReadOnlyList<TimeSpan> Times)> standalone)
    {
        foreach (var (name, times) in standalone)
        {
            Console.WriteLine(Invariant($"standalone ({name}): process start -> first GET /api/health 200, existing store: {Range(times)} s (n = {times.Count}; no target)"));
        }
    }

    public static double Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalSeconds).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static string Range(IEnumerable<TimeSpan> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "-" : Invariant($"{Median(list):F2} ({list.Min().TotalSeconds:F2}-{list.Max().TotalSeconds:F2})");
    }

    private static string Change(double before, double after) => Invariant($"{(after - before) / before * 100:+0;-0}%");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
