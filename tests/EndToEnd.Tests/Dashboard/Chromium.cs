using System.Diagnostics;
using Microsoft.Playwright;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>
/// Debian's headless Chromium driven by Playwright (its own browser download cannot work here); on a fresh Debian
/// machine where the tests run as root it is installed once, as .ci/run does.
/// </summary>
internal static class Chromium
{
    private static readonly Lazy<Task<string>> Executable = new(FindOrInstallAsync);

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = await Executable.Value,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        return (playwright, browser);
    }

    private static async Task<string> FindOrInstallAsync()
    {
        string? Find() => new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
        if (Find() is { } found)
        {
            return found;
        }

        if (Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            foreach (var arguments in new[] { "update -qq", "install -y -qq --no-install-recommends chromium" })
            {
                var info = new ProcessStartInfo("apt-get", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
                info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
                using var process = Process.Start(info)!;
                var output = process.StandardOutput.ReadToEndAsync();
                var error = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"apt-get {arguments} failed: {await output}{error}");
                }
            }
        }

        return Find() ?? throw new InvalidOperationException("Chromium not found: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.");
    }
}
