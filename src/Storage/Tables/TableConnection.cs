using Azure.Core;

namespace Engagement.Storage.Tables;

/// <summary>
/// Where the tables are and how to sign requests: an account key (Shared Key Lite, from a connection string or
/// <c>UseDevelopmentStorage=true</c>) or an Entra ID <see cref="TokenCredential"/> (managed identity in Azure).
/// </summary>
public sealed record TableConnection
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development key (public, documented by Microsoft; not a secret).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Table service endpoint, e.g. <c>https://acct.table.core.windows.net/</c> or <c>http://127.0.0.1:10002/devstoreaccount1/</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Storage account name (signs Shared Key requests).</summary>
    public required string AccountName { get; init; }

    /// <summary>Base64 account key, for Shared Key Lite.</summary>
    public string? AccountKey { get; init; }

    /// <summary>Entra ID credential, for bearer tokens.</summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>Parses a storage connection string. Throws <see cref="FormatException"/> naming what is missing.</summary>
    public static TableConnection Parse(string connectionString, int developmentPort = 10002)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var isDev) && isDev)
        {
            var proxy = parts.TryGetValue("DevelopmentStorageProxyUri", out var p) ? new Uri(p) : new Uri("http://127.0.0.1");
            return new TableConnection
            {
                Endpoint = new Uri($"{proxy.Scheme}://{proxy.Host}:{developmentPort}/{DevelopmentAccountName}/"),
                AccountName = DevelopmentAccountName,
                AccountKey = DevelopmentAccountKey,
            };
        }

        if (!parts.TryGetValue("AccountName", out var account) || account.Length == 0)
        {
            throw new FormatException("The storage connection string has no AccountName.");
        }

        parts.TryGetValue("AccountKey", out var key);
        if (string.IsNullOrEmpty(key))
        {
            throw new FormatException("The storage connection string has no AccountKey (use an endpoint and a managed identity instead of a key-less connection string).");
        }

        Uri endpoint;
        if (parts.TryGetValue("TableEndpoint", out var tableEndpoint))
        {
            endpoint = new Uri(tableEndpoint.EndsWith('/') ? tableEndpoint : tableEndpoint + "/");
        }
        else
        {
            var protocol = parts.TryGetValue("DefaultEndpointsProtocol", out var proto) ? proto : "https";
            var suffix = parts.TryGetValue("EndpointSuffix", out var s) ? s : "core.windows.net";
            endpoint = new Uri($"{protocol}://{account}.table.{suffix}/");
        }

        return new TableConnection { Endpoint = endpoint, AccountName = account, AccountKey = key };
    }

    /// <summary>An endpoint signed with bearer tokens from <paramref name="credential"/>.</summary>
    public static TableConnection FromCredential(Uri endpoint, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var text = endpoint.ToString();
        var host = endpoint.Host;
        var account = host.Contains('.', StringComparison.Ordinal) ? host[..host.IndexOf('.', StringComparison.Ordinal)] : endpoint.AbsolutePath.Trim('/');
        return new TableConnection
        {
            Endpoint = new Uri(text.EndsWith('/') ? text : text + "/"),
            AccountName = account,
            Credential = credential,
        };
    }
}
