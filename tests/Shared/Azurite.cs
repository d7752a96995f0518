using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Engagement.Tests;

/// <summary>
/// A real Azurite Table, Blob or Queue service on 127.0.0.1, started from the repository's own npm tool folder (`tools/`,
/// installed with `npm ci` when missing) with in-memory persistence, and stopped on dispose.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _service;

    private Azurite(Process process, int port, StringBuilder output, string service)
    {
        _process = process;
        Port = port;
        _output = output;
        _service = service;
    }

    public int Port { get; }

    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The service's address (Azurite's path style: the account name after the port).</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}/{AccountName}/");

    public Uri TableEndpoint => Endpoint;

    public Uri BlobEndpoint => Endpoint;

    public Uri QueueEndpoint => Endpoint;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};{_service switch { "blob" => "BlobEndpoint", "queue" => "QueueEndpoint", _ => "TableEndpoint" }}={Endpoint}";

    /// <summary>
    /// Starts Azurite's Table service on <paramref name="port"/> (or a free one). With <paramref name="location"/> it
    /// keeps its data in that folder, so a stopped Azurite started again on the same folder finds it; otherwise it keeps
    /// it in memory.
    /// </summary>
    public static Task<Azurite> StartAsync(int? port = null, string? location = null) => StartServiceAsync("table", port, location);

    /// <summary>Starts Azurite's Blob service, in memory, on a free port.</summary>
    public static Task<Azurite> StartBlobsAsync() => StartServiceAsync("blob", port: null, location: null);

    /// <summary>Starts Azurite's Queue service, in memory, on a free port.</summary>
    public static Task<Azurite> StartQueuesAsync() => StartServiceAsync("queue", port: null, location: null);

    private static async Task<Azurite> StartServiceAsync(string service, int? port, string? location)
    {
        var tools = await NpmTools.EnsureInstalledAsync();
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port ?? FreePort();
            var arguments = new List<string> { Path.Combine(tools, "node_modules", "azurite", "dist", "src", service, "main.js") };
            arguments.AddRange(location is null ? ["--inMemoryPersistence"] : ["--location", location]);
            arguments.AddRange(["--disableTelemetry", "--skipApiVersionCheck", "--silent", $"--{service}Host", "127.0.0.1", $"--{service}Port", chosen.ToString(CultureInfo.InvariantCulture)]);

            var output = new StringBuilder();
            var process = NpmTools.StartNode(tools, arguments, line =>
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            });
            var azurite = new Azurite(process, chosen, output, service);
            if (await NpmTools.WaitUntilListeningAsync(process, chosen))
            {
                return azurite;
            }

            await azurite.DisposeAsync();
            if (attempt >= 3 || port is not null)
            {
                throw new InvalidOperationException($"Azurite ({service}) did not start on port {chosen}:\n{azurite.Output}");
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

    public static int FreePort() => NpmTools.FreePort();

    /// <summary>Stops Azurite as an operator would (Ctrl+C, SIGINT): it closes its listener and saves its data.</summary>
    public Task StopAsync() => NpmTools.InterruptAsync(_process);

    public async ValueTask DisposeAsync() => await NpmTools.KillAsync(_process);
}
