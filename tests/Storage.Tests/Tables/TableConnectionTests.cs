using System.Net;
using Azure.Core;
using Engagement.Storage.Tables;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Tables;

public sealed class TableConnectionTests
{
    [Fact]
    public void Parse_UseDevelopmentStorage_IsAzuritesWellKnownAccountOnLoopback()
    {
        var connection = TableConnection.Parse("UseDevelopmentStorage=true");
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1/"), connection.Endpoint);
        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.Equal(Azurite.AccountKey, connection.AccountKey);
    }

    [Fact]
    public void Parse_AccountKeyAndSuffix_BuildsTheAzureEndpoint()
    {
        var connection = TableConnection.Parse("DefaultEndpointsProtocol=https;AccountName=engagementprod;AccountKey=AAAA;EndpointSuffix=core.windows.net");
        Assert.Equal(new Uri("https://engagementprod.table.core.windows.net/"), connection.Endpoint);
        Assert.Equal("engagementprod", connection.AccountName);
    }

    [Fact]
    public void Parse_ExplicitTableEndpoint_WinsOverTheSuffix()
    {
        var connection = TableConnection.Parse("AccountName=devstoreaccount1;AccountKey=AAAA;TableEndpoint=http://127.0.0.1:12345/devstoreaccount1");
        Assert.Equal(new Uri("http://127.0.0.1:12345/devstoreaccount1/"), connection.Endpoint);
    }

    [Theory]
    [InlineData("AccountKey=AAAA")]
    [InlineData("AccountName=x")]
    public void Parse_MissingNameOrKey_SaysWhat(string connectionString)
    {
        var error = Assert.Throws<FormatException>(() => TableConnection.Parse(connectionString));
        Assert.Contains("Account", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromCredential_AzureEndpoint_TakesTheAccountFromTheHost()
    {
        var connection = TableConnection.FromCredential(new Uri("https://engagementprod.table.core.windows.net"), new FixedToken("t"));
        Assert.Equal("engagementprod", connection.AccountName);
        Assert.Null(connection.AccountKey);
    }

    [Fact]
    public async Task Credential_SendsABearerTokenForTheStorageScope()
    {
        // The request is captured as it leaves the client (no network): what matters is what would be sent.
        var capture = new CaptureHandler();
        var credential = new FixedToken("token-123");
        var options = new TableClientOptions { Transport = new Azure.Core.Pipeline.HttpClientTransport(new HttpClient(capture)) };
        var service = new TableServiceClient(TableConnection.FromCredential(new Uri("https://engagementprod.table.core.windows.net"), credential), options);

        Assert.True(await service.CreateTableIfNotExistsAsync("bearer"));

        var request = Assert.Single(capture.Requests);
        Assert.Equal("Bearer token-123", request.Headers.Authorization?.ToString());
        Assert.True(string.CompareOrdinal(request.Headers.GetValues("x-ms-version").Single(), "2017-11-09") >= 0);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
    }

    [Fact]
    public async Task Credential_OverPlainHttp_IsNeverSent()
    {
        var capture = new CaptureHandler();
        var options = new TableClientOptions { Transport = new Azure.Core.Pipeline.HttpClientTransport(new HttpClient(capture)) };
        options.Retry.MaxRetries = 0;
        var service = new TableServiceClient(TableConnection.FromCredential(new Uri("http://127.0.0.1:1/devstoreaccount1"), new FixedToken("token-123")), options);

        await Assert.ThrowsAnyAsync<Exception>(() => service.CreateTableIfNotExistsAsync("bearer"));
        Assert.Empty(capture.Requests);
    }

    private sealed class CaptureHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request });
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
