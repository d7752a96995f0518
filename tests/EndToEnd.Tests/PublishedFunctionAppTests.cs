using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The folder <c>dotnet publish src/Functions</c> produces, published once for the class (from the build the tests
/// already have: <c>--no-build</c>, same configuration) into a temporary folder, with its zip.
/// </summary>
public sealed class PublishedFunctionApp : IAsyncLifetime
{
    private readonly string _parent = Path.Combine(Path.GetTempPath(), $"engagement-publish-{Guid.NewGuid():N}");

    public string Root => Path.Combine(_parent, "functionapp");

    public string Zip => Path.Combine(_parent, "functionapp.zip");

    public string PublishOutput { get; private set; } = string.Empty;

    /// <summary>The platform whose native assets the folder keeps (<c>any</c>: all).</summary>
    public string Runtime { get; private set; } = "any";

    public async Task InitializeAsync()
    {
        var dll = new FileInfo(AppProcess.AppDll);
        var configuration = dll.Directory!.Parent!.Name;
        var project = Path.GetFullPath(Path.Combine(dll.Directory.FullName, "..", "..", "..", "Functions.csproj"));
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The folder is for Linux x64 (Flex Consumption); here it is for the machine the tests run on.
        Runtime = OperatingSystem.IsLinux() ? $"linux-{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}" : "any";
        foreach (var argument in new[] { "publish", project, "-c", configuration, "--no-build", "-o", Root, "-nologo", $"-p:FunctionAppRuntime={Runtime}" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        PublishOutput = await output + await errors;
        Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{PublishOutput}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_parent, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The host-protocol proof on the published folder: its host.json and function.json files are read, the handler is
/// started exactly as the Functions host starts it (executable resolved against the app root, arguments with
/// %SETTING% expanded, working directory, FUNCTIONS_CUSTOMHANDLER_PORT and the other variables the host sets), the
/// GET / probe is polled, every HTTP function gets a request forwarded the way the host forwards it, and every timer
/// function is invoked with the documented payload.
/// </summary>
public sealed partial class PublishedFunctionAppTests(PublishedFunctionApp published) : IClassFixture<PublishedFunctionApp>
{
    private const string ApiKey = "e2e-published-admin-key-0123456789";
    private const string HostVersion = "4.1044.0.0";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>One request per HTTP function, as a caller would send it through the host (after the setup ones).</summary>
    private static readonly Dictionary<string, (HttpMethod Method, string Path, string? Json, HttpStatusCode Expected)> HttpRequests = new()
    {
        ["Health"] = (HttpMethod.Get, "/api/health", null, HttpStatusCode.OK),
        ["Partnerships"] = (HttpMethod.Put, "/api/partnerships/published-mada", """{"name":"Comité MADA","language":"fr"}""", HttpStatusCode.Created),
        ["Attendance"] = (HttpMethod.Post, "/api/attendance", """{"partnershipId":"published","records":[{"meetingId":"m1","personId":"ana","status":"present"}]}""", HttpStatusCode.OK),
        ["Forms"] = (HttpMethod.Put, "/api/forms/retour", """{"partnershipId":"published","kind":"feedback","title":"Retour de rencontre"}""", HttpStatusCode.Created),
        ["OpenApi"] = (HttpMethod.Get, "/api/openapi/v1.json", null, HttpStatusCode.OK),
        ["Risk"] = (HttpMethod.Get, "/api/risk", null, HttpStatusCode.OK),
        ["Alerts"] = (HttpMethod.Get, "/api/alerts", null, HttpStatusCode.OK),
        ["Acknowledge"] = (HttpMethod.Get, "/api/acknowledge?p=published&a=a1&e=4102444800&s=AAAA", null, HttpStatusCode.Forbidden),
        ["Exports"] = (HttpMethod.Get, "/api/exports/dim_partnership.csv", null, HttpStatusCode.OK),
        ["OData"] = (HttpMethod.Get, "/api/odata/dim_partnership", null, HttpStatusCode.OK),
        ["Dashboard"] = (HttpMethod.Get, "/api/dashboard/login", null, HttpStatusCode.OK),
    };

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();

    private IEnumerable<(string Name, JsonElement Binding)> Triggers() =>
        Directory.EnumerateDirectories(published.Root)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => (Path.GetFileName(d), ReadJson(Path.Combine(d, "function.json")).GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal))));

    /// <summary>Starts the published handler as the Functions host does, with the given app settings.</summary>
    private AppProcess StartAsTheHost(Dictionary<string, string> appSettings, out int port)
    {
        var description = ReadJson(Path.Combine(published.Root, "host.json")).GetProperty("customHandler").GetProperty("description");

        // defaultExecutablePath: a file under the app root when one exists there, otherwise a command on the PATH.
        var executable = description.GetProperty("defaultExecutablePath").GetString()!;
        var underRoot = Path.Combine(published.Root, executable);
        if (!Path.IsPathRooted(executable) && File.Exists(underRoot))
        {
            executable = underRoot;
        }
        else if (executable == "dotnet" && Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet)
        {
            executable = dotnet; // the same command, found where this test run's SDK is rather than on a PATH it may lack
        }

        var workingDirectory = description.TryGetProperty("workingDirectory", out var w) && w.GetString() is { Length: > 0 } relative
            ? Path.Combine(published.Root, relative)
            : published.Root;
        port = AppProcess.FreePort();
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var workerId = Guid.NewGuid().ToString();
        var environment = new Dictionary<string, string>(appSettings)
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = portText,
            ["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = workerId,
            ["FUNCTIONS_HTTPWORKER_PORT"] = portText,
            ["FUNCTIONS_HTTPWORKER_ID"] = workerId,
            ["FUNCTIONS_APP_ROOT_PATH"] = published.Root,
        };
        var info = new ProcessStartInfo(executable) { WorkingDirectory = workingDirectory };
        foreach (var argument in description.TryGetProperty("arguments", out var a) ? a.EnumerateArray().Select(x => x.GetString()!) : [])
        {
            info.ArgumentList.Add(SettingReference().Replace(argument, m => environment.GetValueOrDefault(m.Groups[1].Value) ?? m.Value));
        }

        AppProcess.SetEnvironment(info, environment);

        return AppProcess.Launch(info, port, ownedRoot: null);
    }

    /// <summary>A request as the host forwards it with enableForwardingHttpRequest: the caller's method, path, query, headers and body, plus the host's own headers.</summary>
    private static HttpRequestMessage Forwarded(HttpMethod method, string path, string? json)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", HostVersion);
        request.Headers.UserAgent.ParseAdd($"Azure-Functions-Host/{HostVersion}");
        request.Headers.Add("x-functions-key", "the-host-function-key-the-host-already-checked");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    [Fact]
    public async Task PublishedFolder_StartedAsTheHostStartsIt_ServesEveryHttpFunctionAndAnswersEveryTimer()
    {
        var host = ReadJson(Path.Combine(published.Root, "host.json"));
        Assert.True(host.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
        var prefix = host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString();
        var data = Path.Combine(Path.GetTempPath(), $"engagement-published-data-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["Storage__Provider"] = "Sqlite",
            ["Storage__Sqlite__Path"] = Path.Combine(data, "engagement.db"),
            ["Auth__ApiKeys__0__Name"] = "published-admin",
            ["Auth__ApiKeys__0__Hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey))),
            ["Auth__ApiKeys__0__Roles__0"] = "admin",
            ["Exports__PersonKeySecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Alerts__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Alerts__PublicBaseUrl"] = "https://engagement.example.org",
            ["Demo__Enabled"] = "false",
        };

        try
        {
            await using var app = StartAsTheHost(settings, out var port);
            var ready = await app.WaitUntilReadyAsync();
            Assert.True(ready.IsSuccessStatusCode, app.Output);
            Assert.Contains($"127.0.0.1:{port}", app.Output, StringComparison.Ordinal);

            // The records the attendance request names, created through the Partnerships function first.
            foreach (var (method, path, json) in new (HttpMethod, string, string)[]
            {
                (HttpMethod.Put, "/api/partnerships/published", """{"name":"Table de quartier publiée","language":"fr"}"""),
                (HttpMethod.Post, "/api/partnerships/published/people", """[{"id":"ana","displayName":"Ana"}]"""),
                (HttpMethod.Post, "/api/partnerships/published/meetings", """[{"id":"m1","start":"2026-09-10T18:00:00-04:00","end":"2026-09-10T20:00:00-04:00"}]"""),
            })
            {
                var setup = await app.Client.SendAsync(Forwarded(method, path, json));
                Assert.True(setup.IsSuccessStatusCode, $"{path}: {(int)setup.StatusCode} {await setup.Content.ReadAsStringAsync()}\n{app.Output}");
            }

            var triggers = Triggers().ToList();
            Assert.Equal(HttpRequests.Keys.Order(), triggers.Where(t => t.Binding.GetProperty("type").GetString() == "httpTrigger").Select(t => t.Name).Order());
            foreach (var (name, binding) in triggers.Where(t => t.Binding.GetProperty("type").GetString() == "httpTrigger"))
            {
                var (method, path, json, expected) = HttpRequests[name];
                var route = binding.GetProperty("route").GetString()!;
                var routed = route.Split('{')[0].TrimEnd('/');
                Assert.StartsWith($"/{prefix}/{routed}", path, StringComparison.Ordinal);
                Assert.Contains(method.Method.ToLowerInvariant(), binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
                var response = await app.Client.SendAsync(Forwarded(method, path, json));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(expected == response.StatusCode, $"{name} {method} {path}: {(int)response.StatusCode} {body}\n--- app output ---\n{app.Output}");
                if (!response.IsSuccessStatusCode)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }

            var timers = triggers.Where(t => t.Binding.GetProperty("type").GetString() == "timerTrigger").ToList();
            Assert.Contains(timers, t => t.Name == "ScoreRisk");
            foreach (var (name, binding) in timers)
            {
                var bindingName = binding.GetProperty("name").GetString()!;
                // The documented invocation body: Data.<binding name> = TimerInfo, Metadata.sys = {MethodName, UtcNow, RandGuid}.
                var payload = new System.Text.Json.Nodes.JsonObject
                {
                    ["Data"] = new System.Text.Json.Nodes.JsonObject
                    {
                        [bindingName] = System.Text.Json.Nodes.JsonNode.Parse("""{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-21T04:00:00+00:00","Next":"2026-11-22T04:00:00+00:00","LastUpdated":"2026-11-21T04:00:00+00:00"},"IsPastDue":false}"""),
                    },
                    ["Metadata"] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["sys"] = new System.Text.Json.Nodes.JsonObject { ["MethodName"] = name, ["UtcNow"] = "2026-11-22T04:00:00.0105419Z", ["RandGuid"] = Guid.NewGuid().ToString() },
                    },
                }.ToJsonString();
                using var invocation = new HttpRequestMessage(HttpMethod.Post, "/" + name) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
                invocation.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
                invocation.Headers.Add("X-Azure-Functions-HostVersion", HostVersion);
                invocation.Headers.UserAgent.ParseAdd($"Azure-Functions-Host/{HostVersion}");
                var response = await app.Client.SendAsync(invocation);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode} {text}\n--- app output ---\n{app.Output}");
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                var result = JsonSerializer.Deserialize<JsonElement>(text, Web);
                Assert.Equal(JsonValueKind.Object, result.GetProperty("Outputs").ValueKind);
                Assert.Equal(JsonValueKind.Array, result.GetProperty("Logs").ValueKind);
                Assert.True(result.TryGetProperty("ReturnValue", out _), $"{name}: no ReturnValue in {text}");
            }
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>Every file of the folder with its size and last write time, to see whether anything wrote there.</summary>
    private static Dictionary<string, (long Length, DateTime Written)> Snapshot(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => p, p => File.Exists(p) ? (new FileInfo(p).Length, File.GetLastWriteTimeUtc(p)) : (-1L, Directory.GetLastWriteTimeUtc(p)), StringComparer.Ordinal);

    [Fact]
    public async Task PublishedFolder_OnTableStorageAsInAzure_IngestsScoresAndExports_WithoutWritingToTheAppRoot()
    {
        // Azure's settings (main.bicep) but for the credential: Azurite takes its well-known key where Azure takes
        // the managed identity. Flex mounts the package read-only, so the app must not write beside itself.
        await using var azurite = await Engagement.Tests.Azurite.StartAsync();
        var before = Snapshot(published.Root);
        var settings = new Dictionary<string, string>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Storage__Provider"] = "Tables",
            ["Storage__Tables__ConnectionString"] = azurite.ConnectionString,
            ["Storage__Tables__TablePrefix"] = "published",
            ["Auth__GenerateDevelopmentKey"] = "false",
            ["Auth__ApiKeys__0__Name"] = "admin",
            ["Auth__ApiKeys__0__Hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey))),
            ["Auth__ApiKeys__0__Roles__0"] = "admin",
            ["Scheduler__Enabled"] = "false",
            ["Demo__Enabled"] = "false",
            ["Exports__PersonKeySecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Alerts__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Alerts__PublicBaseUrl"] = "https://func-engagement.azurewebsites.net",
        };

        await using (var app = StartAsTheHost(settings, out _))
        {
            Assert.True((await app.WaitUntilReadyAsync()).IsSuccessStatusCode, app.Output);
            var records = string.Join(',', Enumerable.Range(1, 6).SelectMany(m => new[] { "ana", "bo" }.Select(p => $$"""{"meetingId":"m{{m}}","personId":"{{p}}","status":"{{(p == "bo" && m > 3 ? "absent" : "present")}}"}""")));
            foreach (var (method, path, json) in new (HttpMethod, string, string?)[]
            {
                (HttpMethod.Put, "/api/partnerships/azure", """{"name":"Table de quartier","language":"fr"}"""),
                (HttpMethod.Post, "/api/partnerships/azure/organizations", """[{"id":"cdc","name":"CDC","sector":"community"}]"""),
                (HttpMethod.Post, "/api/partnerships/azure/people", """[{"id":"ana","displayName":"Ana"},{"id":"bo","displayName":"Bo"}]"""),
                (HttpMethod.Post, "/api/partnerships/azure/representations", """[{"organizationId":"cdc","personId":"ana","from":"2026-01-01"},{"organizationId":"cdc","personId":"bo","from":"2026-01-01"}]"""),
                (HttpMethod.Post, "/api/partnerships/azure/meetings", "[" + string.Join(',', Enumerable.Range(1, 6).Select(m => $$"""{"id":"m{{m}}","start":"2026-{{m + 2:00}}-10T18:00:00-04:00","end":"2026-{{m + 2:00}}-10T20:00:00-04:00"}""")) + "]"),
                (HttpMethod.Post, "/api/attendance", $$"""{"partnershipId":"azure","records":[{{records}}]}"""),
                (HttpMethod.Post, "/ScoreRisk", """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"ScoreRisk","UtcNow":"2026-11-22T04:00:00Z","RandGuid":"8c1f4c2e-1a0b-4d84-9d7e-0e5d2b1c3a4f"}}}"""),
            })
            {
                var response = await app.Client.SendAsync(Forwarded(method, path, json));
                Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{app.Output}");
            }

            var risk = JsonDocument.Parse(await (await app.Client.SendAsync(Forwarded(HttpMethod.Get, "/api/partnerships/azure/risk", null))).Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("cdc", risk.ToString(), StringComparison.Ordinal);
            var csv = await (await app.Client.SendAsync(Forwarded(HttpMethod.Get, "/api/exports/fact_attendance.csv", null))).Content.ReadAsStringAsync();
            Assert.Equal(1 + 12, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        }

        var after = Snapshot(published.Root);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(before, entry => Assert.Equal(entry.Value, after[entry.Key]));
    }

    [Fact]
    public void PublishedFolder_HoldsTheAppHostJsonAndOneFunctionFolderPerFunction_AndItsZipKeepsThemAndTheirModes()
    {
        var host = ReadJson(Path.Combine(published.Root, "host.json"));
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        var description = host.GetProperty("customHandler").GetProperty("description");
        Assert.Equal("dotnet", description.GetProperty("defaultExecutablePath").GetString());
        var arguments = description.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()!).ToList();
        Assert.True(File.Exists(Path.Combine(published.Root, arguments[0])), $"{arguments[0]} is not in the published folder");
        Assert.True(File.Exists(Path.Combine(published.Root, "Engagement.Functions.runtimeconfig.json")));
        Assert.All(Triggers(), t => Assert.DoesNotContain('/', t.Name));
        Assert.Equal(HttpRequests.Count + 8, Triggers().Count());

        using var zip = ZipFile.OpenRead(published.Zip);
        var files = Directory.EnumerateFiles(published.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(published.Root, f).Replace('\\', '/'), f => f);
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.Contains(zip.Entries, e => e.FullName == "host.json");
        Assert.Contains(zip.Entries, e => e.FullName == "ScoreRisk/function.json");
        Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".xml", StringComparison.Ordinal));
        if (published.Runtime != "any")
        {
            var platforms = zip.Entries.Where(e => e.FullName.StartsWith("runtimes/", StringComparison.Ordinal)).Select(e => e.FullName.Split('/')[1]).Distinct().ToList();
            Assert.Contains(published.Runtime, platforms);
            Assert.All(platforms, p => Assert.True(p == published.Runtime || p == "unix", $"runtimes/{p} should not be published"));
        }

        if (!OperatingSystem.IsWindows())
        {
            var modes = 0;
            foreach (var entry in zip.Entries.Where(e => files.ContainsKey(e.FullName)))
            {
                var mode = (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF);
                Assert.Equal(File.GetUnixFileMode(files[entry.FullName]), mode);
                modes += mode.HasFlag(UnixFileMode.UserExecute) ? 1 : 0;
            }

            Assert.True(File.GetUnixFileMode(Path.Combine(published.Root, "Engagement.Functions")).HasFlag(UnixFileMode.UserExecute));
            Assert.True(modes > 0, "no executable file in the zip");
        }
    }
}
