namespace Engagement.Bench.Ingestion;

/// <summary>Where the built app is and how busy the machine is; shared by the harnesses that start the app.</summary>
internal static class BenchEnvironment
{
    /// <summary>The Release build of the app under the repository root (found from the current or the harness's directory).</summary>
    public static string DefaultDll()
    {
        var relative = Path.Combine("src", "Functions", "bin", "Release", "net10.0", "Engagement.Functions.dll");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "EngagementFunctions.sln")))
                {
                    return Path.Combine(directory.FullName, relative);
                }
            }
        }

        return relative;
    }

    /// <summary>
    /// Parses the arguments with <paramref name="parse"/> and answers the exit code when the run must stop before it
    /// starts (0 after printing help; 2 for bad arguments or an app that is not built), or null to go on.
    /// </summary>
    public static async Task<int?> StopBeforeRunAsync(Func<(bool Help, string DllPath)> parse, string usage)
    {
        (bool Help, string DllPath) options;
        try
        {
            options = parse();
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(usage);
            return 0;
        }

        if (!File.Exists(options.DllPath))
        {
            await Console.Error.WriteLineAsync($"The app is not built: '{options.DllPath}' does not exist. Run 'dotnet build -c Release' at the repository root first, or pass --dll <path>.");
            return 2;
        }

        return null;
    }

    /// <summary>
    /// How every harness ends: a failed check (<see cref="BenchFailureException"/>) or Ctrl+C answers 1 with its reason,
    /// and the work folder is deleted unless kept (<paramref name="keptNote"/> says where it is).
    /// </summary>
    public static async Task<int> RunAsync(Func<Task<int>> run, CancellationTokenSource cancel, string workDirectory, bool keep, string? keptNote = null)
    {
        try
        {
            return await run();
        }
        catch (BenchFailureException ex)
        {
            await Console.Error.WriteLineAsync();
            await Console.Error.WriteLineAsync($"CHECK FAILED: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 1;
        }
        finally
        {
            if (keep)
            {
                Console.WriteLine(keptNote ?? $"kept:     {workDirectory}");
            }
            else
            {
                try
                {
                    Directory.Delete(workDirectory, recursive: true);
                }
                catch (IOException ex)
                {
                    await Console.Error.WriteLineAsync($"warning: could not delete {workDirectory}: {ex.Message}");
                }
            }
        }
    }

    /// <summary>A cancellation source that Ctrl+C cancels (instead of killing the harness, so the app is stopped too).</summary>
    public static CancellationTokenSource CancelOnCtrlC()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return cancel;
    }

    /// <summary>The 1, 5 and 15 minute load averages, or "n/a" where /proc/loadavg is missing.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}

/// <summary>
/// The options every harness reads the same way (<c>--dll PATH</c> or a plain path, <c>--keep-data</c>, <c>-h</c>/<c>--help</c>,
/// <c>--app-env NAME=VALUE</c>); a harness's own options go to <c>own(name, number)</c>, which answers whether it knew
/// the name and reads a value with <c>number(min, max)</c>.
/// </summary>
internal sealed record BenchArguments(string Dll, bool Keep, bool Help, IReadOnlyDictionary<string, string> Environment)
{
    public static BenchArguments Parse(string[] args, Func<string, Func<int, int, int>, bool> own)
    {
        string? dll = null;
        bool keep = false, help = false;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            int Number(int min, int max)
            {
                if (i + 1 >= args.Length || !int.TryParse(args[i + 1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
                {
                    throw new ArgumentException($"{args[i]} needs a whole number from {min} to {max}.");
                }

                i++;
                return value;
            }

            switch (args[i])
            {
                case "--keep-data": keep = true; break;
                case "-h" or "--help": help = true; break;
                case "--app-env":
                    var pair = i + 1 < args.Length ? args[++i].Split('=', 2) : [];
                    if (pair.Length != 2 || pair[0].Length == 0)
                    {
                        throw new ArgumentException("--app-env needs NAME=VALUE.");
                    }

                    environment[pair[0]] = pair[1];
                    break;
                case "--dll":
                    dll = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--dll needs a path.");
                    break;
                default:
                    if (!own(args[i], Number))
                    {
                        dll = args[i].StartsWith('-') ? throw new ArgumentException($"Unknown option '{args[i]}'.") : args[i];
                    }

                    break;
            }
        }

        return new BenchArguments(Path.GetFullPath(dll ?? BenchEnvironment.DefaultDll()), keep, help, environment);
    }
}

/// <summary>A check of the harness failed: the run is invalid and the harness exits non-zero.</summary>
internal sealed class BenchFailureException(string message) : Exception(message);
