using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Engagement.Tests;

/// <summary>
/// A real SMTP server on 127.0.0.1 (`tools/smtp-sink.js`: smtp-server + mailparser, from the repository's npm tool
/// folder) that accepts any sender and recipient without AUTH or TLS and keeps every message as a JSON file in its own
/// temporary folder. It can be stopped and restarted on the same port and folder, or told to answer 451 to every
/// recipient and message. Dispose kills it and deletes the folder.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly StringBuilder _output = new();
    private readonly bool _startTls;
    private Process? _process;

    private SmtpSink(int port, string directory, bool startTls)
    {
        Port = port;
        Directory = directory;
        _startTls = startTls;
    }

    public int Port { get; }

    /// <summary>The folder holding one JSON file per received message.</summary>
    public string Directory { get; }

    /// <summary>Everything node printed (stdout and stderr), for assertion messages.</summary>
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

    /// <summary>
    /// Starts the sink on <paramref name="port"/> (or a free loopback port) and returns once it accepts connections.
    /// With <paramref name="startTls"/> it also offers STARTTLS (smtp-server's bundled self-signed certificate).
    /// </summary>
    public static async Task<SmtpSink> StartAsync(int? port = null, bool startTls = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"smtp-sink-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        for (var attempt = 0; ; attempt++)
        {
            var sink = new SmtpSink(port ?? NpmTools.FreePort(), directory, startTls);
            if (await sink.TryStartAsync())
            {
                return sink;
            }

            await sink.KillAsync();
            if (attempt >= 3 || port is not null)
            {
                System.IO.Directory.Delete(directory, recursive: true);
                throw new InvalidOperationException($"The SMTP sink did not start on port {sink.Port}:\n{sink.Output}");
            }
        }
    }

    /// <summary>Stops the server (SIGINT): afterwards connections to <see cref="Port"/> are refused. Messages stay.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await NpmTools.InterruptAsync(_process);
            _process.Dispose();
            _process = null;
        }
    }

    /// <summary>Brings a stopped sink back on the same port with the same message folder (stops it first if it runs).</summary>
    public async Task<SmtpSink> RestartAsync()
    {
        await StopAsync();
        if (!await TryStartAsync())
        {
            await KillAsync();
            throw new InvalidOperationException($"The SMTP sink did not restart on port {Port}:\n{Output}");
        }

        return this;
    }

    /// <summary>While on, every RCPT TO and DATA is answered 451 (the server is up but failing).</summary>
    public void Refuse(bool on)
    {
        var flag = Path.Combine(Directory, "refuse");
        if (on)
        {
            File.WriteAllBytes(flag, []);
        }
        else
        {
            File.Delete(flag);
        }
    }

    /// <summary>The messages received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedMail> Messages
    {
        get
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                return [];
            }

            // The sink writes each file under a temporary name and renames it, so every *.json is complete.
            return System.IO.Directory.GetFiles(Directory, "*.json")
                .Order(StringComparer.Ordinal)
                .Select(file => JsonSerializer.Deserialize<ReceivedMail>(File.ReadAllText(file), Json)
                    ?? throw new InvalidOperationException($"{file} holds no message."))
                .ToList();
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived; the timeout is only a safety net.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var messages = Messages;
            if (messages.Count >= count)
            {
                return messages;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"Expected {count} message(s) within {timeout}, got {messages.Count}.\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private async Task<bool> TryStartAsync()
    {
        var tools = await NpmTools.EnsureInstalledAsync();
        var arguments = new List<string> { Path.Combine(tools, "smtp-sink.js"), "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", Directory };
        if (_startTls)
        {
            arguments.Add("--starttls");
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = $"listening on 127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";
        _process = NpmTools.StartNode(tools, arguments, line =>
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (line == ready)
            {
                listening.TrySetResult();
            }
        });

        // Its own "listening" line proves the port is ours (a free port can be taken by someone else meanwhile);
        // an exit (port taken) or 30 s without it is a failed start.
        var exited = _process.WaitForExitAsync();
        var finished = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        return finished == listening.Task && await NpmTools.WaitUntilListeningAsync(_process, Port);
    }

    private async Task KillAsync()
    {
        if (_process is not null)
        {
            await NpmTools.KillAsync(_process);
            _process = null;
        }
    }
}

/// <summary>One message as the SMTP sink received it. <see cref="Headers"/> hold raw values (unfolded, not MIME-decoded) by lower-case name.</summary>
public sealed record ReceivedMail
{
    public string? From { get; init; }

    public IReadOnlyList<string> To { get; init; } = [];

    public IReadOnlyList<string> Cc { get; init; } = [];

    public string? EnvelopeFrom { get; init; }

    public IReadOnlyList<string> EnvelopeTo { get; init; } = [];

    public string? Subject { get; init; }

    public string? MessageId { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Text { get; init; }

    public string? Html { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}
