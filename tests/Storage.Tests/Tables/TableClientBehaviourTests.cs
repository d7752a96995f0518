using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Diagnostics;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Engagement.Storage.Tables;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Tables;

/// <summary>
/// What users rely on from the client the store is built with (Azure.Data.Tables with <see cref="TableStoreClients"/>'s
/// settings): connection strings, retries that honour <c>Retry-After</c>, tokens only over HTTPS, continuation across
/// pages, and a request log without secrets. Shown against a loopback server where Azurite cannot show it.
/// </summary>
public sealed class TableClientBehaviourTests
{
    [Fact]
    public void FromConnectionString_UseDevelopmentStorage_IsAzuritesWellKnownAccountOnLoopback()
    {
        var service = TableStoreClients.FromConnectionString("UseDevelopmentStorage=true", TableStoreClients.Options(0, TimeSpan.FromMilliseconds(1)));
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), service.Uri);
        Assert.Equal(Azurite.AccountName, service.AccountName);
    }

    [Fact]
    public async Task FromConnectionString_TableEndpointEndingWithSlash_AddressesTheAccount()
    {
        var capture = new Loopback((_, _) => (HttpStatusCode.NoContent, null, null));
        var options = TableStoreClients.Options(0, TimeSpan.FromMilliseconds(1), capture.Transport);
        var service = TableStoreClients.FromConnectionString($"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};TableEndpoint=http://127.0.0.1:10002/{Azurite.AccountName}/", options);

        await service.GetTableClient("slash").CreateIfNotExistsAsync();

        Assert.Equal($"/{Azurite.AccountName}/Tables", Assert.Single(capture.Requests).RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task FromEndpoint_SendsABearerTokenForTheStorageScope()
    {
        var capture = new Loopback((_, _) => (HttpStatusCode.NoContent, null, null));
        var credential = new FixedToken("token-123");
        var service = TableStoreClients.FromEndpoint(new Uri("https://engagementprod.table.core.windows.net/"), credential, TableStoreClients.Options(0, TimeSpan.FromMilliseconds(1), capture.Transport));

        await service.GetTableClient("bearer").CreateIfNotExistsAsync();

        var request = Assert.Single(capture.Requests);
        Assert.Equal("Bearer token-123", request.Headers.Authorization?.ToString());
        Assert.True(string.CompareOrdinal(request.Headers.GetValues("x-ms-version").Single(), "2017-11-09") >= 0);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
    }

    [Fact]
    public async Task FromEndpoint_OverPlainHttp_NeverSendsTheToken()
    {
        var capture = new Loopback((_, _) => (HttpStatusCode.NoContent, null, null));
        var service = TableStoreClients.FromEndpoint(new Uri("http://127.0.0.1:1/devstoreaccount1"), new FixedToken("token-123"), TableStoreClients.Options(0, TimeSpan.FromMilliseconds(1), capture.Transport));

        await Assert.ThrowsAnyAsync<Exception>(() => service.GetTableClient("bearer").CreateIfNotExistsAsync());

        Assert.Empty(capture.Requests);
    }

    [Fact]
    public async Task Retries_ServiceBusyOrThrottling_WaitAsRetryAfterSaysThenSucceed()
    {
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests, HttpStatusCode.NotFound]);
        var capture = new Loopback((_, _) =>
        {
            var status = answers.Dequeue();
            return (status, status == HttpStatusCode.NotFound ? null : "1", """{"odata.error":{"code":"ResourceNotFound","message":{"value":"Not found."}}}""");
        });
        var client = TableStoreClients.FromConnectionString(Connection(), TableStoreClients.Options(3, TimeSpan.FromMilliseconds(10), capture.Transport)).GetTableClient("busy");

        var clock = Stopwatch.StartNew();
        var found = await client.GetEntityIfExistsAsync<TableEntity>("p", "r");

        Assert.False(found.HasValue);
        Assert.Equal(3, capture.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"Retried after {clock.Elapsed}, not after the two 1-second Retry-After.");
    }

    [Fact]
    public async Task Query_ContinuationWithAndWithoutRowKey_IsFollowedToTheEnd()
    {
        // Pages answered with the documented continuation headers, including a page that ends on a partition boundary
        // (NextPartitionKey without NextRowKey) and an empty page that still continues.
        var pages = new Queue<(string Body, string? NextPartition, string? NextRow)>(
        [
            ("""{"value":[{"PartitionKey":"a","RowKey":"1"},{"PartitionKey":"a","RowKey":"2"}]}""", "1!4!YQ--", "1!4!Mw--"),
            ("""{"value":[{"PartitionKey":"a","RowKey":"3"}]}""", "1!4!Yg--", null),
            ("""{"value":[]}""", "1!4!Yw--", "1!4!MQ--"),
            ("""{"value":[{"PartitionKey":"c","RowKey":"1"}]}""", null, null),
        ]);
        var capture = new Loopback((_, response) =>
        {
            var (body, nextPartition, nextRow) = pages.Dequeue();
            if (nextPartition is not null)
            {
                response.Headers.Add("x-ms-continuation-NextPartitionKey", nextPartition);
            }

            if (nextRow is not null)
            {
                response.Headers.Add("x-ms-continuation-NextRowKey", nextRow);
            }

            return (HttpStatusCode.OK, null, body);
        });
        var client = TableStoreClients.FromConnectionString(Connection(), TableStoreClients.Options(0, TimeSpan.FromMilliseconds(1), capture.Transport)).GetTableClient("pages");

        var rows = new List<string>();
        await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ne {"x"}"), maxPerPage: 2))
        {
            rows.Add(row.PartitionKey + row.RowKey);
        }

        Assert.Equal(["a1", "a2", "a3", "c1"], rows);
        var queries = capture.Requests.Select(r => Uri.UnescapeDataString(r.RequestUri!.Query)).ToList();
        Assert.Equal(4, queries.Count);
        Assert.DoesNotContain("NextPartitionKey", queries[0], StringComparison.Ordinal);
        Assert.Contains("NextPartitionKey=1!4!YQ--", queries[1], StringComparison.Ordinal);
        Assert.Contains("NextRowKey=1!4!Mw--", queries[1], StringComparison.Ordinal);
        Assert.Contains("NextPartitionKey=1!4!Yg--", queries[2], StringComparison.Ordinal);
        Assert.DoesNotContain("NextRowKey", queries[2], StringComparison.Ordinal);
        Assert.All(queries, q => Assert.Contains("$top=2", q, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestLog_NamesTheRequestButNeverTheKeyOrSignature()
    {
        await using var azurite = await Azurite.StartAsync();
        var messages = new List<string>();
        using (new AzureEventSourceListener((_, message) => { lock (messages) { messages.Add(message); } }, EventLevel.Verbose))
        {
            var roster = new TableRosterStore(new TableStorage(TableStoreClients.FromConnectionString(azurite.ConnectionString, TableStoreClients.Options(0, TimeSpan.FromMilliseconds(1))), "logged" + Guid.NewGuid().ToString("N")[..8], TimeProvider.System));
            await roster.UpsertPeopleAsync("p", [new Core.Domain.Person { PartnershipId = "p", Id = "marie", Email = "marie@example.org" }]);
        }

        var log = string.Join("\n", messages);
        Assert.Contains("/devstoreaccount1/", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Azurite.AccountKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedKeyLite devstoreaccount1:", log, StringComparison.Ordinal);
    }

    private static string Connection() =>
        $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};TableEndpoint=http://127.0.0.1:10002/{Azurite.AccountName}";

    /// <summary>An HTTP transport answering in-process: every request is kept, and answered by <c>answer</c> (status, Retry-After, body).</summary>
    private sealed class Loopback(Func<HttpRequestMessage, HttpResponseMessage, (HttpStatusCode Status, string? RetryAfter, string? Body)> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        public HttpPipelineTransport Transport => new HttpClientTransport(new HttpClient(this));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }

            var response = new HttpResponseMessage { RequestMessage = request };
            var (status, retryAfter, body) = answer(request, response);
            response.StatusCode = status;
            if (retryAfter is not null)
            {
                response.Headers.Add("Retry-After", retryAfter);
            }

            if (body is not null)
            {
                response.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            return Task.FromResult(response);
        }
    }

    private sealed class FixedToken(string token) : TokenCredential
    {
        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes = requestContext.Scopes;
            return new AccessToken(token, DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
