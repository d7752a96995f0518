using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Engagement.Tests;

/// <summary>
/// The repository's npm tool folder (`tools/`): installs it with `npm ci` when a dependency is missing or stale, and
/// starts, probes and stops the node servers the tests run from it (Azurite, the SMTP sink) on loopback.
/// </summary>
public static class NpmTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>Returns the path of `tools/`, after running `npm ci` there if node_modules does not match package.json.</summary>
    public static async Task<string> EnsureInstalledAsync()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "tools", "package.json")))
        {
            directory = directory.Parent;
        }

        var tools = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("tools/package.json not found above the test folder."), "tools");
        await InstallGate.WaitAsync();
        try
        {
            if (IsInstalled(tools))
            {
                return tools;
            }

            // Several test assemblies may start at once: one installs, the others wait on the lock file.
            await using var lockFile = await LockAsync(Path.Combine(tools, ".install.lock"));
            if (!IsInstalled(tools))
            {
                var info = new ProcessStartInfo("npm") { WorkingDirectory = tools, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
                {
                    info.ArgumentList.Add(argument);
                }

                using var npm = Process.Start(info)!;
                var stdout = npm.StandardOutput.ReadToEndAsync();
                var stderr = npm.StandardError.ReadToEndAsync();
                await npm.WaitForExitAsync();
                if (npm.ExitCode != 0)
                {
                    throw new InvalidOperationException($"npm ci in {tools} failed ({npm.ExitCode}):\n{await stdout}\n{await stderr}");
                }
            }

            return tools;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Starts <c>node</c> in <paramref name="tools"/> with the given arguments; every output line goes to <paramref name="output"/>.</summary>
    public static Process StartNode(string tools, IEnumerable<string> arguments, Action<string> output)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = tools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("node could not be started.");
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void Forward(string? line)
        {
            if (line is not null)
            {
                output(line);
            }
        }
    }

    /// <summary>True once 127.0.0.1:<paramref name="port"/> accepts a connection; false if the process exits or 30 s pass.</summary>
    public static async Task<bool> WaitUntilListeningAsync(Process process, int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        return false;
    }

    /// <summary>Stops the process as an operator would (Ctrl+C, SIGINT) and waits for it to exit.</summary>
    public static async Task InterruptAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Kills the process (and its children) if it still runs, then releases it.</summary>
    public static async Task KillAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>A loopback port free at the time of the call.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Installed when every dependency of package.json is in node_modules (at its version, when pinned exactly), so a checkout
    // whose package.json gained a tool (or moved a version) reinstalls instead of failing at start.
    private static bool IsInstalled(string tools)
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(tools, "package.json")));
        if (!package.RootElement.TryGetProperty("dependencies", out var dependencies))
        {
            return true;
        }

        foreach (var dependency in dependencies.EnumerateObject())
        {
            var manifest = Path.Combine(tools, "node_modules", dependency.Name, "package.json");
            if (!File.Exists(manifest))
            {
                return false;
            }

            using var installed = JsonDocument.Parse(File.ReadAllText(manifest));
            var pinned = dependency.Value.GetString() ?? "";
            var exact = pinned.Length > 0 && char.IsAsciiDigit(pinned[0]);
            if (exact && (!installed.RootElement.TryGetProperty("version", out var version) || version.GetString() != pinned))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(200);
            }
        }
    }
}
