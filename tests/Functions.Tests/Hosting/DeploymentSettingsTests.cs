using System.Globalization;
using System.Text.RegularExpressions;
using Engagement.Functions.Hosting;

namespace Engagement.Functions.Tests.Hosting;

/// <summary>
/// Drift between the code and its Azure deployment: every setting the code binds is set by the Bicep template or
/// listed in docs/deploy-azure.md with the code's own default; the template sets no setting the code does not read;
/// every timer's schedule is an app setting with the code's default; and every resource type and API version in the
/// Bicep files is one the deployment guide lists. (eng/bicep-build.sh compiles the files; these tests read them.)
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

    [GeneratedRegex(@"^\s*module\s+\w+\s+'([^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleDeclaration();

    [GeneratedRegex(@"\{\s*name:\s*'Schedules__(\w+)',\s*value:\s*schedules\.\?(\w+)\s*\?\?\s*'([^']*)'\s*\}")]
    private static partial Regex ScheduleSetting();

    [GeneratedRegex(@"^\s*storage:\s*'(.*)'\s*$", RegexOptions.Multiline)]
    private static partial Regex StorageName();

    private static string Doc => File.ReadAllText(Path.Combine(Root, "docs", "deploy-azure.md"));

    private static string Bicep => File.ReadAllText(Path.Combine(Root, "infra", "bicep", "main.bicep"));

    /// <summary>The app settings of main.bicep (between its markers), with loop indices read as 0.</summary>
    private static HashSet<string> BicepSettings()
    {
        var bicep = Bicep;
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
    public void EveryTimerSchedule_IsAnAppSettingOfTheTemplate_WithTheCodesDefault()
    {
        var bicep = Bicep;
        var set = ScheduleSetting().Matches(bicep).ToDictionary(m => m.Groups[1].Value, m => (Property: m.Groups[2].Value, Default: m.Groups[3].Value), StringComparer.Ordinal);

        Assert.Equal(10, TimerSchedules.Defaults.Count);
        Assert.Equal(TimerSchedules.Defaults.Keys.Order(StringComparer.Ordinal), set.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, schedule) in TimerSchedules.Defaults)
        {
            Assert.Equal(name, set[name].Property);
            Assert.True(schedule == set[name].Default, $"main.bicep defaults Schedules__{name} to '{set[name].Default}'; the code (TimerSchedules.Defaults) says '{schedule}'");

            // The operators' override: one optional property of the sealed type of the `schedules` parameter per timer.
            Assert.Matches(new Regex($@"^\s*{name}:\s*string\?\s*$", RegexOptions.Multiline), bicep);
        }

        Assert.Contains("param schedules timerSchedules = {}", bicep, StringComparison.Ordinal);
        Assert.Contains("@sealed()", bicep, StringComparison.Ordinal);
        Assert.True(BicepSettings().Count(n => n.StartsWith("Schedules__", StringComparison.Ordinal)) == 10, "the schedules must lie between the app settings markers");
        Assert.DoesNotContain("Functions__Schedules__", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("Functions__Schedules__", Doc, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTemplateSetsTheKeylessAndSecretSettings_TheWayTheCodeReadsThem()
    {
        var bicep = Bicep;

        Assert.Contains("allowSharedKeyAccess: false", bicep, StringComparison.Ordinal);
        Assert.Contains("{ name: 'Storage__Provider', value: 'Tables' }", bicep, StringComparison.Ordinal);
        Assert.Contains("{ name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }", bicep, StringComparison.Ordinal);
        Assert.Contains("{ name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }", bicep, StringComparison.Ordinal);
        foreach (var secret in new[] { "person-key-secret", "alert-link-key", "graph-client-secret", "api-key-${apiKeys[i].name}" })
        {
            Assert.Contains($"SecretName={secret})'", bicep, StringComparison.Ordinal);
        }

        // The roles the issue names, by the GUIDs of the built-in role definitions.
        foreach (var role in new[] { "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "3913510d-42f4-4e42-8a64-420c390055eb", "4633458b-17de-408a-b874-0445c86b69e6" })
        {
            Assert.Contains(role, bicep, StringComparison.Ordinal);
        }

        Assert.Contains("enableRbacAuthorization: true", bicep, StringComparison.Ordinal);
        Assert.Contains("enablePurgeProtection: keyVaultPurgeProtection ? true : null", bicep, StringComparison.Ordinal);
        Assert.Contains("param keyVaultPurgeProtection bool = true", bicep, StringComparison.Ordinal);
        Assert.Contains("DisableLocalAuth: true", bicep, StringComparison.Ordinal);
        Assert.Contains("name: 'FC1'", bicep, StringComparison.Ordinal);
        Assert.Contains("keyVaultReferenceIdentity: identity.id", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", bicep, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("datasets", "Datasets__")]
    [InlineData("models", "Storage__Models__")]
    public void EachBlobContainer_IsPrivate_AndTheAppsDataRoleIsScopedToIt(string container, string settings)
    {
        var bicep = Bicep;
        var resource = container + "Container";

        Assert.Matches(new Regex($@"resource {resource} 'Microsoft\.Storage/storageAccounts/blobServices/containers@[^']+'\s*=\s*\{{\s*parent:\s*blobServices\s*name:\s*names\.{resource}\s*properties:\s*\{{\s*publicAccess:\s*'None'"), bicep);
        Assert.Contains($"{resource}: '{container}'", bicep, StringComparison.Ordinal);

        // Storage Blob Data Contributor (ba92f5b4-…) on the container itself, for the app's identity.
        Assert.Contains("storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'", bicep, StringComparison.Ordinal);
        Assert.Matches(new Regex($@"resource {container}Contributor 'Microsoft\.Authorization/roleAssignments@[^']+'\s*=\s*\{{\s*name:\s*guid\({resource}\.id, names\.identity, roles\.storageBlobDataContributor\)\s*scope:\s*{resource}\s*properties:\s*\{{\s*roleDefinitionId:\s*subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', roles\.storageBlobDataContributor\)\s*principalId:\s*identity\.properties\.principalId"), bicep);
        Assert.Matches(new Regex($@"dependsOn:\s*\[[^\]]*\b{container}Contributor\b"), bicep);

        // The app writes there with the identity, no key.
        Assert.Contains($"{{ name: '{settings}BlobEndpoint', value: storage.properties.primaryEndpoints.blob }}", bicep, StringComparison.Ordinal);
        Assert.Contains($"{{ name: '{settings}ManagedIdentityClientId', value: identity.properties.clientId }}", bicep, StringComparison.Ordinal);
        Assert.Contains($"{{ name: '{settings}Container', value: {resource}.name }}", bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTemplate_RunsTheIsolatedWorker_WithoutBasicAuthOrRegistryModules()
    {
        var bicep = Bicep;

        // The standard .NET isolated worker on Flex Consumption; nothing left of the custom handler.
        Assert.Matches(new Regex(@"runtime:\s*\{\s*name:\s*'dotnet-isolated'\s*version:\s*'10\.0'\s*\}"), bicep);
        foreach (var gone in new[] { "customHandler", "defaultExecutablePath", "enableForwardingHttpRequest", "custom handler", "FUNCTIONS_WORKER_RUNTIME", "WEBSITE_RUN_FROM_PACKAGE" })
        {
            Assert.DoesNotContain(gone, bicep, StringComparison.OrdinalIgnoreCase);
        }

        // No module from a registry (the Azure Verified Modules registry cannot be reached offline): native resources only.
        Assert.DoesNotContain("br/public:", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("'br:", bicep, StringComparison.Ordinal);
        Assert.Empty(ModuleDeclaration().Matches(bicep));
        Assert.Matches(new Regex(@"^resource identity 'Microsoft\.ManagedIdentity/userAssignedIdentities@[^']+'", RegexOptions.Multiline), bicep);

        // Basic publishing credentials off, for FTP and for the SCM (Kudu) site.
        foreach (var policy in new[] { "ftp", "scm" })
        {
            Assert.Matches(new Regex($@"'Microsoft\.Web/sites/basicPublishingCredentialsPolicies@[^']+'\s*=\s*\{{\s*parent:\s*app\s*name:\s*'{policy}'\s*properties:\s*\{{\s*allow:\s*false\s*\}}"), bicep);
        }

        // The public base URL comes from the site's defaultHostName unless publicBaseUrl overrides it; the settings are
        // therefore a child resource of the site (a resource cannot read its own properties), and the site sets none.
        Assert.Contains("{ name: 'Alerts__PublicBaseUrl', value: empty(publicBaseUrl) ? 'https://${app.properties.defaultHostName}' : publicBaseUrl }", bicep, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"'Microsoft\.Web/sites/config@[^']+'\s*=\s*\{\s*parent:\s*app\s*name:\s*'appsettings'\s*properties:\s*toObject\(concat\(hostSettings, appSettings, scheduleSettings, apiKeySettings\)"), bicep);
        Assert.DoesNotMatch(new Regex(@"^\s*appSettings:", RegexOptions.Multiline), bicep);
        Assert.DoesNotContain("azurewebsites.net'", bicep, StringComparison.Ordinal);

        // The storage account's name keeps the whole unique suffix: only the prefix before it is cut.
        var storage = StorageName().Match(bicep);
        Assert.True(storage.Success, "main.bicep has no `storage:` name");
        Assert.EndsWith("${suffix}", storage.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("take(", storage.Groups[1].Value[..^"${suffix}".Length], StringComparison.Ordinal);
    }

    [Fact]
    public void EveryResourceTypeAndApiVersion_IsOneTheDeploymentGuideLists()
    {
        var listed = DocTable("## Resource types and API versions");
        var used = Directory.EnumerateFiles(Path.Combine(Root, "infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .SelectMany(text => ResourceDeclaration().Matches(text))
            .Select(m => (Type: m.Groups[1].Value, Version: m.Groups[2].Value))
            .Distinct()
            .ToList();

        Assert.Contains(used, u => u.Type == "Microsoft.Web/sites");
        Assert.Contains(used, u => u.Type == "Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Contains(used, u => u.Type == "Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.All(used, u => Assert.True(listed.TryGetValue(u.Type, out var version) && version == u.Version, $"{u.Type}@{u.Version} is not in the table of docs/deploy-azure.md"));
        Assert.All(listed.Keys, type => Assert.True(used.Any(u => u.Type == type), $"docs/deploy-azure.md lists {type}, which no .bicep file under infra/ declares"));
        Assert.DoesNotContain(listed.Keys, type => type.StartsWith("br/", StringComparison.Ordinal));

        // The project's reference notes (../shared/reference/*.md) name no API versions; that each type@version exists
        // is checked by the Bicep compiler itself (eng/bicep-build.sh fails on its BCP081 warning for an unknown one).
    }
}
