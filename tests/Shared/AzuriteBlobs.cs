using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Engagement.Tests;

/// <summary>
/// A real Azurite Blob service on 127.0.0.1 and a free port, started from the repository's own npm tool folder
/// (`tools/`, installed with `npm ci` when missing) with in-memory persistence, and stopped on dispose. The sibling of
/// <see cref="Azurite"/> (the Table service), with the same well-known development account.
/// </summary>
public sealed class AzuriteBlobs : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private AzuriteBlobs(Process process, int port, StringBuilder output)
    {
        _process = process;
        Port = port;
        _output = output;
    }

    public int Port { get; }

    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{Azurite.AccountName}/");

    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};BlobEndpoint={BlobEndpoint}";

    public static async Task<AzuriteBlobs> StartAsync()
    {
        var tools = await NpmTools.EnsureInstalledAsync();
        for (var attempt = 0; ; attempt++)
        {
            var port = NpmTools.FreePort();
            var arguments = new List<string>
            {
                Path.Combine(tools, "node_modules", "azurite", "dist", "src", "blob", "main.js"),
                "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent",
                "--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture),
            };
            var output = new StringBuilder();
            var process = NpmTools.StartNode(tools, arguments, line =>
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            });
            var azurite = new AzuriteBlobs(process, port, output);
            if (await NpmTools.WaitUntilListeningAsync(process, port))
            {
                return azurite;
            }

            await azurite.DisposeAsync();
            if (attempt >= 3)
            {
                throw new InvalidOperationException($"Azurite (blobs) did not start on port {port}:\n{azurite.Output}");
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

    public async ValueTask DisposeAsync() => await NpmTools.KillAsync(_process);
}
