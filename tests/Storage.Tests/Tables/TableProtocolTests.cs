using System.Diagnostics.Tracing;
using System.Net;
using System.Text;
using Azure.Core.Diagnostics;
using Engagement.Storage.Tables;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Tables;

/// <summary>Protocol details of the Table client that Azurite cannot show on demand.</summary>
public sealed class TableProtocolTests
{
    [Fact]
    public void StringToSign_AzuritePathStyle_NamesTheAccountTwice()
    {
        var toSign = SharedKeyLitePolicy.StringToSign("devstoreaccount1", "Sun, 11 Oct 2009 19:52:39 GMT", new Uri("http://127.0.0.1:10002/devstoreaccount1/Tables"));
        Assert.Equal("Sun, 11 Oct 2009 19:52:39 GMT\n/devstoreaccount1/devstoreaccount1/Tables", toSign);
    }

    [Fact]
    public void StringToSign_AzureUrl_IgnoresQueryButComp()
    {
        Assert.Equal(
            "Sun, 11 Oct 2009 19:52:39 GMT\n/acct/Customers()",
            SharedKeyLitePolicy.StringToSign("acct", "Sun, 11 Oct 2009 19:52:39 GMT", new Uri("https://acct.table.core.windows.net/Customers()?$filter=PartitionKey%20eq%20'x'&$top=5")));
        Assert.Equal(
            "Sun, 11 Oct 2009 19:52:39 GMT\n/acct/mytable?comp=acl",
            SharedKeyLitePolicy.StringToSign("acct", "Sun, 11 Oct 2009 19:52:39 GMT", new Uri("https://acct.table.core.windows.net/mytable?comp=acl")));
    }

    // Expected signatures computed independently with `openssl dgst -sha256 -mac HMAC` over the same strings.
    [Theory]
    [InlineData("Sun, 11 Oct 2009 19:52:39 GMT\n/devstoreaccount1/devstoreaccount1/Tables", "ErXwXhFUdsOaklxX2/UTRDcWl4T591pmLcUzbBU+SRI=")]
    [InlineData("Sun, 22 Nov 2026 03:00:00 GMT\n/devstoreaccount1/devstoreaccount1/attendance(PartitionKey='p1',RowKey='m1~marie')", "gm00bj+MrKC0NgzgCaonO+8N0cG30rowjek8Ro9hBok=")]
    public void Sign_KnownStringToSign_GivesTheKnownSignature(string stringToSign, string signature)
    {
        var policy = new SharedKeyLitePolicy("devstoreaccount1", Azurite.AccountKey, TimeProvider.System);
        Assert.Equal(signature, policy.Sign(stringToSign));
    }

    [Theory]
    [InlineData("O'Brien", "PartitionKey eq 'O''Brien'")]
    [InlineData("a' or 'x' eq 'x", "PartitionKey eq 'a'' or ''x'' eq ''x'")]
    [InlineData("Montréal – été 🌳", "PartitionKey eq 'Montréal – été 🌳'")]
    [InlineData("", "PartitionKey eq ''")]
    public void Filter_StringValues_AreQuotedWithQuotesDoubled(string value, string expected) =>
        Assert.Equal(expected, TableFilter.Create($"PartitionKey eq {value}"));

    [Fact]
    public void Filter_TypedValues_UseODataLiterals()
    {
        var id = Guid.Parse("4185404a-5818-48c3-b9be-f217df0dba6f");
        Assert.Equal(
            "Big ge 12345678901L and Small eq 5 and Ratio lt 2.5 and Whole eq 2.0 and Flag eq true and Id eq guid'4185404a-5818-48c3-b9be-f217df0dba6f'",
            TableFilter.Create($"Big ge {12_345_678_901L} and Small eq {5} and Ratio lt {2.5} and Whole eq {2.0} and Flag eq {true} and Id eq {id}"));
        Assert.Equal(
            "When ge datetime'2026-03-14T19:23:34.0000000Z'",
            TableFilter.Create($"When ge {new DateTimeOffset(2026, 3, 14, 15, 23, 34, TimeSpan.FromHours(-4))}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"X eq {(string?)null}"));
    }

    [Fact]
    public void RowKeyRange_CoversComposedKeysOnly()
    {
        Assert.Equal("PartitionKey eq 'p' and RowKey ge 'att|m1|' and RowKey lt 'att|m1}'", TableFilter.RowKeyRange("p", "att", "m1"));
        Assert.Equal("att|m!.1|x!!y", TableKeys.Compose("att", "m|1", "x!y"));
        Assert.Equal(["att", "m|1", "x!y"], TableKeys.Decompose(TableKeys.Compose("att", "m|1", "x!y")));
    }

    [Fact]
    public async Task Query_ContinuationWithAndWithoutRowKey_IsFollowedToTheEnd()
    {
        // A loopback server answering with the documented continuation headers, including a page that ends on a
        // partition boundary (NextPartitionKey without NextRowKey) and an empty page that still continues.
        var port = Azurite.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var seen = new List<string>();
        var server = Task.Run(async () =>
        {
            var pages = new (string Body, string? NextPartition, string? NextRow)[]
            {
                ("""{"value":[{"PartitionKey":"a","RowKey":"1"},{"PartitionKey":"a","RowKey":"2"}]}""", "1!4!YQ--", "1!4!Mw--"),
                ("""{"value":[{"PartitionKey":"a","RowKey":"3"}]}""", "1!4!Yg--", null),
                ("""{"value":[]}""", "1!4!Yw--", "1!4!MQ--"),
                ("""{"value":[{"PartitionKey":"c","RowKey":"1"}]}""", null, null),
            };
            foreach (var (body, nextPartition, nextRow) in pages)
            {
                var context = await listener.GetContextAsync();
                seen.Add(context.Request.Url!.Query);
                if (nextPartition is not null)
                {
                    context.Response.Headers["x-ms-continuation-NextPartitionKey"] = nextPartition;
                }

                if (nextRow is not null)
                {
                    context.Response.Headers["x-ms-continuation-NextRowKey"] = nextRow;
                }

                context.Response.ContentType = "application/json";
                var bytes = Encoding.UTF8.GetBytes(body);
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });

        var service = new TableServiceClient(TableConnection.Parse($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Azurite.AccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1"));
        var rows = await service.GetTableClient("pages").QueryAsync(TableFilter.Create($"RowKey ne {"x"}"), maxPerPage: 2).Select(e => e.PartitionKey + e.RowKey).ToListAsync();
        await server;

        Assert.Equal(["a1", "a2", "a3", "c1"], rows);
        Assert.Equal(4, seen.Count);
        Assert.DoesNotContain("NextPartitionKey", seen[0], StringComparison.Ordinal);
        Assert.Contains("NextPartitionKey=1%214%21YQ--", seen[1], StringComparison.Ordinal);
        Assert.Contains("NextRowKey=1%214%21Mw--", seen[1], StringComparison.Ordinal);
        Assert.Contains("NextPartitionKey=1%214%21Yg--", seen[2], StringComparison.Ordinal);
        Assert.DoesNotContain("NextRowKey", seen[2], StringComparison.Ordinal);
        Assert.All(seen, q => Assert.Contains("%24top=2", q.Replace("$top", "%24top", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestLogging_NamesTheRequestButNeverTheKeyOrSignature()
    {
        await using var azurite = await Azurite.StartAsync();
        var messages = new List<string>();
        using (new AzureEventSourceListener((_, message) => { lock (messages) { messages.Add(message); } }, EventLevel.Verbose))
        {
            var service = new TableServiceClient(TableConnection.Parse(azurite.ConnectionString));
            var table = service.GetTableClient("logged" + Guid.NewGuid().ToString("N")[..8]);
            await table.CreateIfNotExistsAsync();
            await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Email"] = "marie@example.org" });
        }

        var log = string.Join("\n", messages);
        Assert.Contains("/devstoreaccount1/", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Azurite.AccountKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedKeyLite devstoreaccount1:", log, StringComparison.Ordinal);
    }
}
