using Engagement.Bench.Ingestion;

namespace Engagement.Bench.ColdStart;

/// <summary>Which milestone the harness asks for first after the functions are loaded.</summary>
internal enum FirstRequest
{
    /// <summary>HTTP first on even starts, the timer first on odd ones: each "first" figure is then a true first.</summary>
    Alternate,
    HttpFirst,
    TimerFirst,
}

/// <summary>Command-line options.</summary>
internal sealed record ColdStartOptions(
    int Starts,
    int Warmup,
    int StandaloneStarts,
    IReadOnlyList<Variant> Variants,
    FirstRequest Order,
    string? PublishedFolder,
    string? StandaloneDll,
    bool Keep,
    bool Help,
    IReadOnlyDictionary<string, string> AppEnvironment)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/ColdStart -- [options]
          --starts N         timed starts of each variant (default 10), interleaved round by round
          --warmup N         untimed warm-up starts of each variant before them (default 1)
          --variants LIST    comma-separated, from app, app-r2r, empty, empty-r2r (default: all four)
                               app = src/Functions, empty = bench/ColdStart/EmptyWorker; -r2r = published with ReadyToRun
          --order ORDER      alternate (default): HTTP first on even starts, the timer first on odd ones;
                             http-first or timer-first: always that one first
          --standalone N     standalone starts of each real-app variant (default: as --starts; 0 skips them)
          --published DIR    take the published folders from DIR/<variant>; publish into DIR/<variant> those missing
                             (default: publish all into the temporary folder)
          --dll PATH         run the standalone starts on this Engagement.Functions.dll instead of the published app
          --keep             keep the temporary folder (published apps, store) and print where it is (also --keep-data)
          --app-env K=V      an extra environment variable for every start, for experiments (repeatable)
        """;

    public static ColdStartOptions Parse(string[] args)
    {
        // The text-valued options are taken out first; BenchArguments reads the rest (numbers, --dll, --app-env…).
        var rest = new List<string>();
        string? variants = null, order = null, published = null;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--variants": variants = Value(); break;
                case "--order": order = Value(); break;
                case "--published": published = Value(); break;
                case "--keep": keep = true; break;
                default: rest.Add(args[i]); break;
            }
        }

        int starts = 10, warmup = 1;
        int? standalone = null;
        var explicitDll = false;
        var common = BenchArguments.Parse([.. rest], (name, number) =>
        {
            switch (name)
            {
                case "--starts": starts = number(1, 1_000); break;
                case "--warmup": warmup = number(0, 100); break;
                case "--standalone": standalone = number(0, 1_000); break;
                default:
                    // A plain path is the standalone dll, as --dll is.
                    explicitDll = !name.StartsWith('-');
                    return false;
            }

            return true;
        });
        explicitDll |= rest.Contains("--dll");

        return new ColdStartOptions(
            starts,
            warmup,
            standalone ?? starts,
            ParseVariants(variants),
            ParseOrder(order),
            published is null ? null : Path.GetFullPath(published),
            explicitDll ? common.Dll : null,
            keep || common.Keep,
            common.Help,
            common.Environment);
    }

    private static Variant[] ParseVariants(string? list)
    {
        if (list is null)
        {
            return [.. Variant.All];
        }

        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var chosen = new List<Variant>();
        foreach (var name in names)
        {
            var variant = Variant.All.FirstOrDefault(v => v.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Unknown variant '{name}'; choose from {string.Join(", ", Variant.All.Select(v => v.Name))}.");
            if (!chosen.Contains(variant))
            {
                chosen.Add(variant);
            }
        }

        return chosen.Count > 0 ? [.. chosen] : throw new ArgumentException("--variants needs at least one variant.");
    }

    private static FirstRequest ParseOrder(string? order) => order switch
    {
        null or "alternate" => FirstRequest.Alternate,
        "http-first" => FirstRequest.HttpFirst,
        "timer-first" => FirstRequest.TimerFirst,
        _ => throw new ArgumentException($"--order is alternate, http-first or timer-first, not '{order}'."),
    };

    /// <summary>Whether the timed start number <paramref name="index"/> (from 0) asks for the HTTP answer first.</summary>
    public bool HttpFirst(int index) => Order switch
    {
        FirstRequest.HttpFirst => true,
        FirstRequest.TimerFirst => false,
        _ => index % 2 == 0,
    };
}
