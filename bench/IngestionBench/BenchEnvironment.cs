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
