using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Engagement.Graph;

/// <summary>Builds the Graph SDK client: application permissions, Graph's default middleware (retries honouring Retry-After).</summary>
public static class GraphClients
{
    /// <summary>The credential the settings describe: client secret, or managed identity / developer sign-in.</summary>
    public static TokenCredential Credential(GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !string.IsNullOrWhiteSpace(options.ClientSecret)
            ? new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret)
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                TenantId = string.IsNullOrWhiteSpace(options.TenantId) ? null : options.TenantId,
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? options.ClientId : options.ManagedIdentityClientId,
            });
    }

    /// <summary>A Graph client for <paramref name="options"/>'s base URL, signing with <paramref name="credential"/>.</summary>
    public static GraphServiceClient Create(GraphOptions options, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseUrl = new Uri(options.BaseUrl.TrimEnd('/'));
        var httpClient = GraphClientFactory.Create();
        return new GraphServiceClient(httpClient, new BaseBearerTokenAuthenticationProvider(new CredentialTokenProvider(credential, baseUrl)), baseUrl.ToString());
    }

    /// <summary>
    /// Hands the SDK a token for Graph's <c>.default</c> scope, only for the configured Graph host, and only over https
    /// (plain http is allowed for a loopback test server alone).
    /// </summary>
    private sealed class CredentialTokenProvider(TokenCredential credential, Uri baseUrl) : IAccessTokenProvider
    {
        private static readonly string[] Scopes = ["https://graph.microsoft.com/.default"];

        public AllowedHostsValidator AllowedHostsValidator { get; } = new([baseUrl.Host]);

        public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(uri);
            if (!AllowedHostsValidator.IsUrlHostValid(uri))
            {
                return string.Empty;
            }

            if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
            {
                throw new InvalidOperationException($"A Graph token is only sent over https (got {uri.Scheme}://{uri.Host}).");
            }

            var token = await credential.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken);
            return token.Token;
        }
    }
}
