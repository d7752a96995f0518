using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Engagement.Tests;

/// <summary>
/// A real Azurite Table service on 127.0.0.1, started from the repository's own npm tool folder (`tools/`,
/// installed with `npm ci` when missing) with in-memory persistence, and stopped on dispose.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Azurite(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public Uri TableEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}/");

    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={TableEndpoint}";

    /// <summary>
    /// Starts Azurite on <paramref name="port"/> (or a free one). With <paramref name="location"/> it keeps its data in
    /// that folder, so a stopped Azurite started again on the same folder finds it; otherwise it keeps it in memory.
    /// </summary>
    public static async Task<Azurite> StartAsync(int? port = null, string? location = null)
    {
        var tools = await EnsureInstalledAsync();
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port ?? FreePort();
            var info = new ProcessStartInfo("node")
            {
                WorkingDirectory = tools,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(tools, "node_modules", "azurite", "dist", "src", "table", "main.js"));
            if (location is null)
            {
                info.ArgumentList.Add("--inMemoryPersistence");
            }
            else
            {
                info.ArgumentList.Add("--location");
                info.ArgumentList.Add(location);
            }

            foreach (var argument in new[] { "--disableTelemetry", "--skipApiVersionCheck", "--silent", "--tableHost", "127.0.0.1", "--tablePort", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("node could not be started.");
            var azurite = new Azurite(process, chosen);
            process.OutputDataReceived += (_, e) => azurite.Append(e.Data);
            process.ErrorDataReceived += (_, e) => azurite.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (await azurite.WaitUntilListeningAsync())
            {
                return azurite;
            }

            await azurite.DisposeAsync();
            if (attempt >= 3 || port is not null)
            {
                throw new InvalidOperationException($"Azurite did not start on port {chosen}:\n{azurite.Output}");
            }
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task<bool> WaitUntilListeningAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        return false;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "tools", "package.json")))
        {
            directory = directory.Parent;
        }

        var tools = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("tools/package.json not found above the test folder."), "tools");
        var main = Path.Combine(tools, "node_modules", "azurite", "dist", "src", "table", "main.js");
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(main))
            {
                return tools;
            }

            // Several test assemblies may start at once: one installs, the others wait on the lock file.
            await using var lockFile = await LockAsync(Path.Combine(tools, ".install.lock"));
            if (!File.Exists(main))
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

    /// <summary>Stops Azurite as an operator would (Ctrl+C, SIGINT): it closes its listener and saves its data.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
