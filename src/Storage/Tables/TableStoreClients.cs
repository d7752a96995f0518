using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace Engagement.Storage.Tables;

/// <summary>The Azure.Data.Tables clients the store runs on, from the app's settings.</summary>
public static partial class TableStoreClients
{
    /// <summary>
    /// Client options: Azure.Core's exponential retry (of 408, 429, 500, 502, 503, 504 and lost connections,
    /// honouring <c>Retry-After</c>) with <paramref name="maxRetries"/> retries, the first after
    /// <paramref name="delay"/>. <paramref name="transport"/> replaces the HTTP transport (tests).
    /// </summary>
    public static TableClientOptions Options(int maxRetries, TimeSpan delay, HttpPipelineTransport? transport = null)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = delay;
        options.Retry.Mode = RetryMode.Exponential;
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return options;
    }

    /// <summary>
    /// A client signed with the account key of a connection string (or <c>UseDevelopmentStorage=true</c>: Azurite on
    /// 127.0.0.1:10002). A <c>TableEndpoint</c> ending with '/' is accepted: Azure.Data.Tables would otherwise send
    /// <c>//Tables</c>, which the service refuses with a bare 400.
    /// </summary>
    public static TableServiceClient FromConnectionString(string connectionString, TableClientOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new TableServiceClient(TrailingSlash().Replace(connectionString, "$1"), options);
    }

    /// <summary>A client signed with Entra ID tokens from <paramref name="credential"/> (managed identity in Azure); never over plain HTTP.</summary>
    public static TableServiceClient FromEndpoint(Uri endpoint, TokenCredential credential, TableClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new TableServiceClient(new Uri(endpoint.ToString().TrimEnd('/')), credential, options);
    }

    [GeneratedRegex("(TableEndpoint=[^;]*?)/+(?=;|$)", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingSlash();
}
