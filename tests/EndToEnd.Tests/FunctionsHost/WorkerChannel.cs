using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>
/// The host's end of the worker's one <c>EventStream</c>: a gRPC server (generated from the official
/// FunctionRpc.proto) on Kestrel, 127.0.0.1, a port of its own, plain-text HTTP/2 only. Messages to the worker are
/// queued and written by one loop; messages from the worker complete the request waiting for them (by kind and id),
/// and <c>RpcLog</c>s are kept aside whenever they come.
/// </summary>
internal sealed class WorkerChannel : IAsyncDisposable
{
    private WebApplication? _server;
    private readonly Channel<StreamingMessage> _outgoing = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<StartStream> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<RpcLog> _logs = [];
    private readonly List<string> _problems = [];
    private readonly Lock _gate = new();
    private readonly FunctionsHostTimings _timings;
    private int _streams;

    private WorkerChannel(FunctionsHostTimings timings) => _timings = timings;

    /// <summary>Where the worker connects: <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Completes with the worker's <c>StartStream</c> (the first message on the stream).</summary>
    public Task<StartStream> Started => _started.Task;

    /// <summary>Completes when the worker's stream ended (normally after <c>WorkerTerminate</c>).</summary>
    public Task Closed => _closed.Task;

    public IReadOnlyList<RpcLog> Logs
    {
        get
        {
            lock (_gate)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>What the worker did against the protocol (a second stream, an unexpected message); empty when all went well.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_gate)
            {
                return [.. _problems];
            }
        }
    }

    public static async Task<WorkerChannel> StartAsync(FunctionsHostTimings timings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            // The host accepts what it announces in --grpcMaxMessageLength.
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        var channel = new WorkerChannel(timings);
        builder.Services.AddSingleton(channel);
        var app = builder.Build();
        channel._server = app;
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        channel.Address = new Uri(address.EndsWith('/') ? address : address + "/");
        return channel;
    }

    /// <summary>Queues <paramref name="message"/> for the worker.</summary>
    public void Send(StreamingMessage message)
    {
        if (!_outgoing.Writer.TryWrite(message))
        {
            throw new InvalidOperationException($"The worker's stream is closed; cannot send {message.ContentCase}.");
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and waits for the answer filed under <paramref name="responseKey"/>
    /// (see <see cref="KeyOf"/>), or throws after <paramref name="timeout"/>.
    /// </summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, string responseKey, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var answer = Expect(responseKey);
        Send(request);
        return await WaitAsync(answer, responseKey, timeout, cancellationToken);
    }

    /// <summary>Registers interest in the answer filed under <paramref name="responseKey"/> before the request goes out.</summary>
    public Task<StreamingMessage> Expect(string responseKey)
    {
        var source = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(responseKey, source))
        {
            throw new InvalidOperationException($"Already waiting for '{responseKey}'.");
        }

        return source.Task;
    }

    public async Task<StreamingMessage> WaitAsync(Task<StreamingMessage> answer, string responseKey, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            return await answer.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(responseKey, out _);
            throw new TimeoutException($"The worker did not answer '{responseKey}' within {timeout.TotalSeconds:F0} s.");
        }
    }

    /// <summary>The key an answer is filed under: its kind, and the function or invocation it is about.</summary>
    public static string KeyOf(StreamingMessage message) => message.ContentCase switch
    {
        StreamingMessage.ContentOneofCase.FunctionLoadResponse => $"load:{message.FunctionLoadResponse.FunctionId}",
        StreamingMessage.ContentOneofCase.InvocationResponse => $"invoke:{message.InvocationResponse.InvocationId}",
        _ => message.ContentCase.ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        if (_server is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _server.StopAsync(stop.Token);
            await _server.DisposeAsync();
        }
    }

    private async Task RunAsync(IAsyncStreamReader<StreamingMessage> fromWorker, IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _streams) > 1)
        {
            // The host invites more streams (MultiStream); the .NET worker opens one. A second is worth knowing about.
            Problem("The worker opened a second EventStream; the emulator serves one.");
            throw new Grpc.Core.RpcException(new Status(StatusCode.FailedPrecondition, "The emulator serves one EventStream per worker."));
        }

        var writing = WriteAllAsync(toWorker, cancellationToken);
        try
        {
            await foreach (var message in fromWorker.ReadAllAsync(cancellationToken))
            {
                Dispatch(message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The emulator is stopping.
        }
        catch (IOException)
        {
            // The worker went away mid-stream (killed, crashed): reported through the waiting requests below.
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            foreach (var key in _pending.Keys)
            {
                if (_pending.TryRemove(key, out var source))
                {
                    source.TrySetException(new IOException($"The worker's stream closed before '{key}' was answered."));
                }
            }

            _started.TrySetException(new IOException("The worker's stream closed before StartStream."));
            _closed.TrySetResult();
        }

        await writing;
    }

    private async Task WriteAllAsync(IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken))
            {
                await toWorker.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The stream ended while messages were queued; their senders time out or see the closed stream.
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                _timings.MarkStartStream();
                _started.TrySetResult(message.StartStream);
                return;
            case StreamingMessage.ContentOneofCase.RpcLog:
                lock (_gate)
                {
                    _logs.Add(message.RpcLog);
                }

                return;
            case StreamingMessage.ContentOneofCase.None:
                // The worker's answer to WorkerTerminate is an empty message.
                return;
        }

        if (message.ContentCase == StreamingMessage.ContentOneofCase.WorkerInitResponse)
        {
            _timings.MarkWorkerInitResponse();
        }

        var key = KeyOf(message);
        if (_pending.TryRemove(key, out var source))
        {
            source.TrySetResult(message);
        }
        else
        {
            Problem($"Unexpected {message.ContentCase} from the worker ('{key}'): {message}");
        }
    }

    private void Problem(string text)
    {
        lock (_gate)
        {
            _problems.Add(text);
        }
    }

    /// <summary>The generated service's one method, handed to the channel (DI creates the service per call).</summary>
    internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
    {
        public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
            channel.RunAsync(requestStream, responseStream, context.CancellationToken);
    }
}
