using System.Globalization;
using System.Text.RegularExpressions;

namespace Engagement.Functions.Tests.Hosting;

/// <summary>
/// Drift between the code and its Azure deployment: every setting the code binds is set by the Bicep template or
/// listed in docs/deploy-azure.md with the code's own default; the template sets no setting the code does not read;
/// and every resource type and API version in the Bicep files is one the reference lists.
/// </summary>
public sealed partial class DeploymentSettingsTests
{
    private static readonly string Root = CodeSettings.RepositoryRoot().FullName;

    [GeneratedRegex(@"name:\s*'([^']+)'")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"\$\{[^}]+\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^\s*resource\s+\w+\s+'([^'@]+)@([^']+)'", RegexOptions.Multiline)]
    private static partial Regex ResourceDeclaration();

    [GeneratedRegex(@"^\s*module\s+\w+\s+'(br/public:[^':]+):([^']+)'", RegexOptions.Multiline)]
    private static partial Regex RegistryModule();

    private static string Doc => File.ReadAllText(Path.Combine(Root, "docs", "deploy-azure.md"));

    /// <summary>The app settings of main.bicep (between its markers), with loop indices read as 0.</summary>
    private static HashSet<string> BicepSettings()
    {
        var bicep = File.ReadAllText(Path.Combine(Root, "infra", "bicep", "main.bicep"));
        var start = bicep.IndexOf("// app settings: begin", StringComparison.Ordinal);
        var end = bicep.IndexOf("// app settings: end", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "main.bicep lost its app settings markers");
        return [.. SettingName().Matches(bicep[start..end]).Select(m => Interpolation().Replace(m.Groups[1].Value, "0"))];
    }

    /// <summary>The rows of a markdown table of the deployment guide that starts after <paramref name="heading"/>.</summary>
    private static Dictionary<string, string> DocTable(string heading)
    {
        var doc = Doc;
        var start = doc.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/deploy-azure.md has no '{heading}'");
        var section = doc[start..];
        var next = section.IndexOf("\n#", heading.Length, StringComparison.Ordinal);
        section = next > 0 ? section[..next] : section;
        return TableRow().Matches(section).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim().Trim('`'), StringComparer.Ordinal);
    }

    private static bool IsHostSetting(string name) =>
        name.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal) || name.StartsWith("APPLICATIONINSIGHTS_", StringComparison.Ordinal) || name == "ASPNETCORE_ENVIRONMENT";

    [Fact]
    public void EverySettingOfTheCode_IsSetByTheTemplateOrDocumentedWithItsDefault()
    {
        var code = CodeSettings.All();
        var bicep = BicepSettings();
        var optional = DocTable("### Settings left at their defaults");

        Assert.Contains("Storage__Tables__Endpoint", bicep);
        Assert.Contains("Auth__ApiKeys__0__Roles__0", bicep);
        Assert.All(code.Keys, name => Assert.True(bicep.Contains(name) || optional.ContainsKey(name), $"{name} is neither set by main.bicep nor listed in docs/deploy-azure.md"));
        Assert.All(bicep.Where(n => !IsHostSetting(n)), name => Assert.True(code.ContainsKey(name), $"main.bicep sets {name}, which the code does not read"));
        Assert.All(optional.Keys, name => Assert.True(code.ContainsKey(name), $"docs/deploy-azure.md lists {name}, which the code does not read"));
        Assert.All(optional.Keys, name => Assert.False(bicep.Contains(name), $"{name} is both set by main.bicep and listed as left at its default"));
        foreach (var (name, documented) in optional)
        {
            var actual = code[name];
            var same = actual switch
            {
                null => documented == "(none)",
                bool b => documented == (b ? "true" : "false"),
                int or double => double.TryParse(documented, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Convert.ToDouble(actual, CultureInfo.InvariantCulture),
                _ => documented == Convert.ToString(actual, CultureInfo.InvariantCulture),
            };
            Assert.True(same, $"docs/deploy-azure.md says {name} defaults to '{documented}'; the code says '{actual ?? "(none)"}'");
        }
    }

    [Fact]
    public void TheTemplateSetsTheKeylessAndSecretSettings_TheWayTheCodeReadsThem()
    {
        var bicep = File.ReadAllText(Path.Combine(Root, "infra", "bicep", "main.bicep"));

        Assert.Contains("allowSharedKeyAccess: false", bicep, StringComparison.Ordinal);
        Assert.Contains("{ name: 'Storage__Provider', value: 'Tables' }", bicep, StringComparison.Ordinal);
        Assert.Contains("{ name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }", bicep, StringComparison.Ordinal);
        foreach (var secret in new[] { "person-key-secret", "alert-link-key", "graph-client-secret", "api-key-${apiKeys[i].name}" })
        {
            Assert.Contains($"SecretName={secret})'", bicep, StringComparison.Ordinal);
        }

        // The roles the issue names, by the GUIDs of the built-in role definitions.
        foreach (var role in new[] { "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "3913510d-42f4-4e42-8a64-420c390055eb", "4633458b-17de-408a-b874-0445c86b69e6" })
        {
            Assert.Contains(role, bicep, StringComparison.Ordinal);
        }

        Assert.Contains("enableRbacAuthorization: true", bicep, StringComparison.Ordinal);
        Assert.Contains("DisableLocalAuth: true", bicep, StringComparison.Ordinal);
        Assert.Contains("name: 'FC1'", bicep, StringComparison.Ordinal);
        Assert.Contains("keyVaultReferenceIdentity: identityId", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryResourceTypeAndApiVersion_IsOneTheReferenceLists()
    {
        var listed = DocTable("## Resource types and API versions");
        var used = Directory.EnumerateFiles(Path.Combine(Root, "infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .SelectMany(text => ResourceDeclaration().Matches(text).Concat(RegistryModule().Matches(text)))
            .Select(m => (Type: m.Groups[1].Value, Version: m.Groups[2].Value))
            .Distinct()
            .ToList();

        Assert.Contains(used, u => u.Type == "Microsoft.Web/sites");
        Assert.Contains(used, u => u.Type.StartsWith("br/public:avm/res/managed-identity", StringComparison.Ordinal));
        Assert.All(used, u => Assert.True(listed.TryGetValue(u.Type, out var version) && version == u.Version, $"{u.Type}@{u.Version} is not in the table of docs/deploy-azure.md"));

        // The table copies the project's reference notes; where they are beside the repository, check it against them.
        var reference = new DirectoryInfo(Root).Parent is { } parent ? Path.Combine(parent.FullName, "shared", "reference", "azure-functions-custom-handler.md") : null;
        if (reference is not null && File.Exists(reference))
        {
            var notes = File.ReadAllText(reference);
            foreach (var (type, version) in used)
            {
                var text = type.StartsWith("br/public:", StringComparison.Ordinal)
                    ? $"{type["br/public:".Length..]}:{version}"
                    : $"{type.Split('/')[^1]}@{version}";
                Assert.True(notes.Contains(text, StringComparison.OrdinalIgnoreCase), $"{type}@{version}: '{text}' is not in {reference}");
            }
        }
    }
}
