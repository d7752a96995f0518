using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>
/// The host's queue trigger for one function (Microsoft.Azure.WebJobs.Extensions.Storage.Queues 5.x with its
/// defaults): it receives up to 16 messages at a time, hidden for 10 minutes while they run; decodes each from Base64
/// (<c>messageEncoding</c>); invokes the function with the text as its string input and the message's binding data as
/// trigger metadata; deletes the message when the invocation succeeds; after a failure makes it visible again at once
/// (<c>visibilityTimeout</c> 0), and moves it to <c>{queue}-poison</c> when it has been dequeued 5 times
/// (<c>maxDequeueCount</c>). Differences: a fixed polling interval instead of the host's back-off, one message at a
/// time, no singleton or scale controller, the connection is a connection string (not an identity-based one).
/// </summary>
internal sealed class QueueListener : IAsyncDisposable
{
    private const int BatchSize = 16;
    private const int MaxDequeueCount = 5;
    private static readonly TimeSpan Hidden = TimeSpan.FromMinutes(10);

    private readonly WorkerFunction _function;
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly Func<WorkerFunction, QueueMessage, string, CancellationToken, Task<InvocationResponse>> _invoke;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public QueueListener(WorkerFunction function, string connectionString, TimeSpan interval, Func<WorkerFunction, QueueMessage, string, CancellationToken, Task<InvocationResponse>> invoke)
    {
        _function = function;
        _queue = new QueueClient(connectionString, function.Trigger.QueueName);
        _poison = new QueueClient(connectionString, function.Trigger.QueueName + "-poison");
        _interval = interval;
        _invoke = invoke;
    }

    /// <summary>Messages taken off the queue so far (delivered, failed or poisoned).</summary>
    public int Received { get; private set; }

    public void Start() => _loop = RunAsync(_stop.Token);

    /// <summary>Stops polling; an invocation in progress finishes first.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: stop);
            while (!stop.IsCancellationRequested)
            {
                var messages = (await _queue.ReceiveMessagesAsync(BatchSize, Hidden, stop)).Value;
                foreach (var message in messages)
                {
                    Received++;
                    await DeliverAsync(message, stop);
                }

                if (messages.Length == 0)
                {
                    await Task.Delay(_interval, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(QueueMessage message, CancellationToken stop)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText));
        }
        catch (FormatException)
        {
            // The host cannot decode it: straight to the poison queue.
            await PoisonAsync(message, message.MessageText, stop);
            return;
        }

        var response = await _invoke(_function, message, text, stop);
        if (response.Result.Status == StatusResult.Types.Status.Success)
        {
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        else if (message.DequeueCount >= MaxDequeueCount)
        {
            await PoisonAsync(message, message.MessageText, stop);
        }
        else
        {
            await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
        }
    }

    private async Task PoisonAsync(QueueMessage message, string body, CancellationToken stop)
    {
        await _poison.CreateIfNotExistsAsync(cancellationToken: stop);
        await _poison.SendMessageAsync(body, CancellationToken.None);
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
    }

    /// <summary>
    /// The invocation the host sends for a queue message bound as a string: the text as the trigger input, and the
    /// binding data (QueueTrigger, DequeueCount, Id, PopReceipt, InsertionTime, ExpirationTime, NextVisibleTime) as
    /// trigger metadata. The host's RpcMessageConversionExtensions.ToRpc sends a string as a string and anything else
    /// it has no typed data for — the count, the dates — as JSON (ToRpcDefault), never as TypedData.Int.
    /// </summary>
    public static InvocationRequest Request(WorkerFunction function, QueueMessage message, string text)
    {
        var request = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = function.FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00", TraceState = string.Empty },
        };
        request.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { String = text } });
        request.TriggerMetadata.Add("QueueTrigger", new TypedData { String = text });
        request.TriggerMetadata.Add("DequeueCount", new TypedData { Json = message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        request.TriggerMetadata.Add("Id", new TypedData { String = message.MessageId });
        request.TriggerMetadata.Add("PopReceipt", new TypedData { String = message.PopReceipt });
        foreach (var (name, time) in new[] { ("InsertionTime", message.InsertedOn), ("ExpirationTime", message.ExpiresOn), ("NextVisibleTime", message.NextVisibleOn) })
        {
            if (time is { } value)
            {
                request.TriggerMetadata.Add(name, new TypedData { Json = JsonSerializer.Serialize(value) });
            }
        }

        return request;
    }
}
