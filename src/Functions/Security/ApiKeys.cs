using System.Security.Cryptography;
using System.Text;
using Engagement.Core.Validation;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Security;

/// <summary>The roles an API key can hold.</summary>
internal static class Roles
{
    public const string Ingest = "ingest";
    public const string Coordinator = "coordinator";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    /// <summary>Added to another role: exports include names and e-mails (personal information).</summary>
    public const string Pii = "pii";

    public static readonly IReadOnlyList<string> All = [Ingest, Coordinator, Analyst, Admin, Pii];
}

/// <summary>Settings section <c>Auth</c>: the API keys the app accepts, stored as hashes only.</summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Accepted keys. Generate one with <c>dotnet Engagement.Functions.dll new-key</c>.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>In the Development environment with no key configured, create a one-run admin key and print it.</summary>
    public bool GenerateDevelopmentKey { get; set; } = true;
}

internal sealed class ApiKeyEntry
{
    /// <summary>Who holds the key (appears in logs, never the key itself).</summary>
    public string? Name { get; set; }

    /// <summary><c>sha256:</c> followed by 64 hex digits: the SHA-256 of the key's UTF-8 bytes.</summary>
    public string? Hash { get; set; }

    /// <summary>Any of ingest, coordinator, analyst, admin.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>When not empty, the only partnerships the key may touch.</summary>
    public List<string> Partnerships { get; set; } = [];
}

/// <summary>Checks every key entry at start, reporting every problem with its setting path.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var entry = options.ApiKeys[i];
            var path = $"{AuthOptions.Section}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                failures.Add($"{path}:Name is required.");
            }

            if (!KeyHasher.IsValidHash(entry.Hash))
            {
                failures.Add($"{path}:Hash must be 'sha256:' followed by 64 hex digits (run 'dotnet Engagement.Functions.dll hash-key <key>').");
            }
            else if (!hashes.Add(entry.Hash!.ToLowerInvariant()))
            {
                failures.Add($"{path}:Hash is the same as another key's.");
            }

            if (entry.Roles.Count == 0)
            {
                failures.Add($"{path}:Roles needs at least one of {string.Join(", ", Roles.All)}.");
            }

            for (var r = 0; r < entry.Roles.Count; r++)
            {
                if (!Roles.All.Contains(entry.Roles[r]))
                {
                    failures.Add($"{path}:Roles:{r} '{entry.Roles[r]}' is not one of {string.Join(", ", Roles.All)}.");
                }
            }

            for (var p = 0; p < entry.Partnerships.Count; p++)
            {
                if (!Check.IsValidId(entry.Partnerships[p], out var reason))
                {
                    failures.Add($"{path}:Partnerships:{p} {reason}");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Key generation and hashing. Keys are 256-bit random values, so one SHA-256 is enough to store them safely.</summary>
internal static class KeyHasher
{
    public static string NewKey() => "efk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool IsValidHash(string? hash) =>
        hash is { Length: 71 } && hash.StartsWith("sha256:", StringComparison.Ordinal) && hash[7..].All(Uri.IsHexDigit);
}

/// <summary>The accepted keys, indexed by hash; holds the one-run development key when there is one.</summary>
internal sealed class ApiKeyRegistry(IOptions<AuthOptions> options)
{
    private readonly Dictionary<string, ApiKeyEntry> _byHash = options.Value.ApiKeys
        .Where(k => KeyHasher.IsValidHash(k.Hash))
        .ToDictionary(k => k.Hash!.ToLowerInvariant(), StringComparer.Ordinal);

    public bool IsEmpty => _byHash.Count == 0;

    public ApiKeyEntry? Find(string presentedKey) => FindByHash(KeyHasher.Hash(presentedKey));

    /// <summary>The entry of a stored hash (<c>sha256:…</c>), e.g. the one a dashboard session names.</summary>
    public ApiKeyEntry? FindByHash(string hash) =>
        _byHash.TryGetValue(hash.ToLowerInvariant(), out var entry) ? entry : null;

    public string AddDevelopmentAdminKey()
    {
        var key = KeyHasher.NewKey();
        _byHash[KeyHasher.Hash(key)] = new ApiKeyEntry { Name = "development", Hash = KeyHasher.Hash(key), Roles = [Roles.Admin] };
        return key;
    }
}
