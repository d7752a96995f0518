using Azure.Core;
using Azure.Identity;

namespace Engagement.Functions.Storage;

/// <summary>The Entra ID credential of the app's Azure clients: the managed identity in Azure, developer credentials elsewhere.</summary>
internal static class AzureCredentials
{
    /// <summary>Every credential the default chain tries, with <paramref name="managedIdentityClientId"/> for a user-assigned identity (empty: the system one).</summary>
    public static TokenCredential For(string? managedIdentityClientId) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(managedIdentityClientId) ? null : managedIdentityClientId });
}
