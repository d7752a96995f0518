using System.Diagnostics;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf.Collections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using Microsoft.Extensions.Primitives;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>An HTTP request served by the emulated host: the worker's answer and, when the worker was invoked, its result.</summary>
/// <param name="Response">The worker's HTTP response (content buffered), or the host's own 401/404.</param>
/// <param name="Function">The function the route matched, or null (404).</param>
/// <param name="InvocationId">Null when the host answered without invoking the worker.</param>
/// <param name="Invocation">The worker's <c>InvocationResponse</c> (status, exception, logs), or null.</param>
internal sealed record HttpInvocationResult(HttpResponseMessage Response, WorkerFunction? Function, string? InvocationId, InvocationResponse? Invocation);

/// <summary>
/// HTTP invocation as the host does it for a worker with ASP.NET Core integration (capability <c>HttpUri</c>):
/// route and key check, then the request proxied to the worker with <c>x-ms-invocation-id</c>
/// (DefaultHttpProxyService, RetryProxyHandler) and, concurrently, an <c>InvocationRequest</c> whose trigger input is an
/// empty <c>RpcHttp</c> and whose trigger metadata is the HTTP binding data (WebJobs HttpTriggerAttributeBindingProvider
/// GetRequestBindingData, ScriptInvocationContextExtensions.ToRpcInvocationRequest, GrpcMessageConversionExtensions.ToRpcHttp).
/// </summary>
internal sealed class HttpInvoker(WorkerChannel channel, HttpFunctionRouter router, IReadOnlyDictionary<string, string> capabilities, Uri workerUri, FunctionsHostOptions options, FunctionsHostTimings timings, Action<CompletedInvocation> completed) : IDisposable
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host" };

    private readonly HttpMessageInvoker _proxy = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });

    public async Task<HttpInvocationResult> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : new Uri(new Uri("http://localhost/"), request.RequestUri ?? new Uri("/", UriKind.Relative));
        var query = QueryHelpers.ParseQuery(uri.Query);
        var match = await router.MatchAsync(request.Method.Method, PathString.FromUriComponent(uri));
        if (match is null || (match.Function.IsDisabled && HttpFunctionRouter.KeyLevel(request, query, options) != FunctionAuthLevel.Admin))
        {
            return Answer(HttpStatusCode.NotFound, match?.Function);
        }

        var function = match.Function;
        if (!HttpFunctionRouter.IsAuthorized(function.Trigger.AuthLevel ?? FunctionAuthLevel.Function, request, query, options))
        {
            return Answer(HttpStatusCode.Unauthorized, function);
        }

        // The host reads a body of known length to offer its JSON properties as binding data, buffering it.
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var invocationId = Guid.NewGuid().ToString();
        var invocation = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = Trace(request),
        };
        invocation.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { Http = TriggerInput(match) } });
        AddBindingData(invocation.TriggerMetadata, request, uri, body, query, match);

        var key = $"invoke:{invocationId}";
        var answered = channel.Expect(key);

        // The host starts forwarding before it sends the InvocationRequest; the worker pairs both by invocation id.
        var forwarding = ForwardAsync(request, uri, body, invocationId, cancellationToken);
        channel.Send(new StreamingMessage { InvocationRequest = invocation });

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.InvocationTimeout);
        HttpResponseMessage response;
        try
        {
            response = await forwarding.WaitAsync(timeout.Token);
            await response.Content.LoadIntoBufferAsync(timeout.Token);
            timings.MarkHttpResponse();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The worker did not answer {request.Method} {uri.PathAndQuery} ({function.Name}, invocation {invocationId}) within {options.InvocationTimeout.TotalSeconds:F0} s.");
        }
        catch (HttpRequestException e)
        {
            // EnsureSuccessfulForwardingAsync fails the invocation; the caller sees a 500 from the host.
            response = new HttpResponseMessage(HttpStatusCode.InternalServerError) { ReasonPhrase = $"Failed to proxy request: {e.Message}" };
        }

        var result = (await channel.WaitAsync(answered, key, options.InvocationTimeout, cancellationToken)).InvocationResponse;
        completed(new CompletedInvocation(function.Name, invocationId, result));
        return new HttpInvocationResult(response, function, invocationId, result);
    }

    public void Dispose() => _proxy.Dispose();

    private static HttpInvocationResult Answer(HttpStatusCode status, WorkerFunction? function) =>
        new(new HttpResponseMessage(status) { Content = new ByteArrayContent([]) }, function, null, null);

    private RpcHttp TriggerInput(HttpRouteMatch match)
    {
        var http = new RpcHttp();
        if (!capabilities.ContainsKey("RequiresRouteParameters"))
        {
            return http;
        }

        // Only a worker that asks for them gets the route values inside the (otherwise empty) RpcHttp.
        foreach (var (name, value) in match.RouteValues.Where(v => v.Value is not null))
        {
            if (capabilities.ContainsKey("UseNullableValueDictionaryForHttp"))
            {
                http.NullableParams.Add(name, new NullableString { Value = value });
            }
            else
            {
                http.Params.Add(name, value);
            }
        }

        return http;
    }

    // HttpTriggerAttributeBindingProvider.GetRequestBindingData, in its order (later sources overwrite earlier ones):
    // the JSON body's top-level properties, the query parameters but "code" (last value wins), the route values,
    // then "Query" and "Headers" unless a key of that name exists. "$request" (the HttpRequest) is left out because
    // the worker declares RpcHttpTriggerMetadataRemoved; "sys" is never sent.
    private static void AddBindingData(MapField<string, TypedData> metadata, HttpRequestMessage request, Uri uri, byte[]? body, Dictionary<string, StringValues> query, HttpRouteMatch match)
    {
        var data = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase);
        if (body is { Length: > 0 } && request.Content?.Headers.ContentLength > 0)
        {
            foreach (var (name, value) in BodyProperties(body))
            {
                data[name] = value;
            }
        }

        var lastValues = query.ToDictionary(q => q.Key, q => q.Value.LastOrDefault() ?? string.Empty, StringComparer.Ordinal);
        foreach (var (name, value) in lastValues.Where(q => !q.Key.Equals("code", StringComparison.OrdinalIgnoreCase)))
        {
            data[name] = new TypedData { String = value };
        }

        foreach (var (name, value) in match.RouteValues.Where(v => v.Value is not null))
        {
            data[name] = new TypedData { String = value };
        }

        data.TryAdd("Query", new TypedData { Json = JsonSerializer.Serialize(lastValues, RelaxedJson) });
        data.TryAdd("Headers", new TypedData { Json = JsonSerializer.Serialize(IncomingHeaders(request, uri), RelaxedJson) });
        foreach (var (name, value) in data)
        {
            metadata.Add(name, value);
        }
    }

    private static IEnumerable<(string Name, TypedData Value)> BodyProperties(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            // Not JSON: no binding data from the body, as on the host.
            yield break;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                yield break;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Array or JsonValueKind.Null:
                        continue;
                    case JsonValueKind.Object:
                        yield return (property.Name, new TypedData { Json = JsonSerializer.Serialize(property.Value, RelaxedJson) });
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        yield return (property.Name, new TypedData { String = property.Value.GetBoolean() ? "True" : "False" });
                        break;
                    case JsonValueKind.String:
                        yield return (property.Name, new TypedData { String = property.Value.GetString() });
                        break;
                    default:
                        yield return (property.Name, new TypedData { String = property.Value.GetRawText() });
                        break;
                }
            }
        }
    }

    // The request as the host's Kestrel saw it: the caller's headers, the content headers and Host.
    private static Dictionary<string, string> IncomingHeaders(HttpRequestMessage request, Uri uri)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Host"] = uri.Authority };
        foreach (var (name, values) in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            headers[name] = string.Join(",", values);
        }

        return headers;
    }

    private static RpcTraceContext Trace(HttpRequestMessage request)
    {
        // The host's Activity for the request: the caller's trace when it sent a traceparent, a new span either way.
        var traceId = ActivityTraceId.CreateRandom();
        var flags = "00";
        if (request.Headers.TryGetValues("traceparent", out var parents) && ActivityContext.TryParse(parents.First(), null, out var parent))
        {
            traceId = parent.TraceId;
            flags = parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00";
        }

        return new RpcTraceContext { TraceParent = $"00-{traceId}-{ActivitySpanId.CreateRandom()}-{flags}", TraceState = string.Empty };
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage request, Uri uri, byte[]? body, string invocationId, CancellationToken cancellationToken)
    {
        // RetryProxyHandler: up to 10 attempts on connection errors, 50 ms doubling to at most 250 ms.
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            using var forwarded = new HttpRequestMessage(request.Method, new Uri(workerUri, uri.PathAndQuery.TrimStart('/'))) { Version = request.Version };
            foreach (var (name, values) in request.Headers.Where(h => !HopByHop.Contains(h.Key)))
            {
                forwarded.Headers.TryAddWithoutValidation(name, values);
            }

            forwarded.Headers.TryAddWithoutValidation("x-ms-invocation-id", invocationId);
            if (body is not null)
            {
                forwarded.Content = new ByteArrayContent(body);
                foreach (var (name, values) in request.Content!.Headers)
                {
                    forwarded.Content.Headers.TryAddWithoutValidation(name, values);
                }
            }

            try
            {
                return await _proxy.SendAsync(forwarded, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < 10)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
            }
        }
    }
}
