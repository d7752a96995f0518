using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Engagement.Core.Storage;
using Engagement.Storage.Sqlite;
using Engagement.Functions.Storage;
using Engagement.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Tests.Telemetry;

/// <summary>How the pipeline is put together for each setting, read from the built services (nothing is started or sent).</summary>
public sealed class TelemetrySetupTests
{
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/";

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddStorage();
        builder.AddTelemetry();
        return builder;
    }

    private static bool IsAzureMonitor(ServiceDescriptor descriptor) =>
        descriptor.ServiceType.Assembly == typeof(AzureMonitorExporterOptions).Assembly
        || descriptor.ImplementationFactory?.Method.DeclaringType?.Assembly == typeof(AzureMonitorExporterOptions).Assembly;

    [Fact]
    public void ConnectionString_RegistersTheAzureMonitorExporter_SigningWithTheManagedIdentity()
    {
        var builder = Builder(new()
        {
            [TelemetryOptions.ConnectionStringSetting] = ConnectionString,
            [TelemetryOptions.AuthenticationStringSetting] = "ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD",
        });

        Assert.Contains(builder.Services, IsAzureMonitor);
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        Assert.Equal(ConnectionString, options.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(options.Credential);
    }

    [Fact]
    public void ConnectionStringWithoutAuthenticationString_SendsWithTheKeyAlone()
    {
        using var host = Builder(new() { [TelemetryOptions.ConnectionStringSetting] = ConnectionString }).Build();

        var options = host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        Assert.Equal(ConnectionString, options.ConnectionString);
        Assert.Null(options.Credential);
    }

    [Fact]
    public void NoConnectionString_RegistersNoAzureMonitorExporter()
    {
        var builder = Builder(new() { [TelemetryOptions.ConnectionStringSetting] = string.Empty });

        Assert.DoesNotContain(builder.Services, IsAzureMonitor);
    }

    [Fact]
    public void WorkerDefaults_TellTheFunctionsHostTheWorkerExportsItsOwnTelemetry()
    {
        using var host = Builder([]).Build();

        var capabilities = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities;
        Assert.Equal(bool.TrueString, capabilities["WorkerOpenTelemetryEnabled"]);
    }

    [Fact]
    public void HostJson_PutsTheHostInOpenTelemetryMode_AndKeepsItsOtherSettings()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Hosting.CodeSettings.RepositoryRoot().FullName, "src", "Functions", "host.json")));
        var root = json.RootElement;

        Assert.Equal("OpenTelemetry", root.GetProperty("telemetryMode").GetString());
        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.Equal("api", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("00:30:00", root.GetProperty("functionTimeout").GetString());
    }

    [Fact]
    public void TheWritingPorts_AreCounted_AndTheOthersAreTheStoresOwn()
    {
        using var host = Builder(new() { ["Storage:Sqlite:Path"] = Path.Combine(Path.GetTempPath(), $"engagement-test-{Guid.NewGuid():N}.db") }).Build();

        Assert.IsType<CountingRosterStore>(host.Services.GetRequiredService<IRosterStore>());
        Assert.IsType<CountingAttendanceStore>(host.Services.GetRequiredService<IAttendanceStore>());
        Assert.IsType<CountingFormStore>(host.Services.GetRequiredService<IFormStore>());
        Assert.IsType<SqlitePartnershipStore>(host.Services.GetRequiredService<IPartnershipStore>());
        Assert.IsType<SqliteModelStore>(host.Services.GetRequiredService<IModelStore>());
    }

    [Theory]
    [InlineData("ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD")]
    [InlineData("Authorization=AAD;ClientId=11111111-1111-1111-1111-111111111111")]
    [InlineData(" authorization = aad ; ")]
    public void AuthenticationString_WithAad_IsAManagedIdentity(string value) =>
        Assert.IsType<ManagedIdentityCredential>(ApplicationInsightsAuthentication.Credential(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void AuthenticationString_Empty_IsNoCredential(string? value) =>
        Assert.Null(ApplicationInsightsAuthentication.Credential(value));

    [Theory]
    [InlineData("ClientId=11111111-1111-1111-1111-111111111111")]
    [InlineData("ClientId=1;Authorization=Key")]
    [InlineData("ClientId=1;Authorization=AAD;Secret=x")]
    public void AuthenticationString_Invalid_FailsNamingTheSetting(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApplicationInsightsAuthentication.Credential(value));
        Assert.StartsWith("APPLICATIONINSIGHTS_AUTHENTICATION_STRING is not valid", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret=x", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0/users/alertes@table.example/sendMail", "https://graph.microsoft.com/v1.0/users/Redacted/sendMail")]
    [InlineData("https://graph.microsoft.com/v1.0/users/marie%40example.org/onlineMeetings?$filter=Redacted", "https://graph.microsoft.com/v1.0/users/Redacted/onlineMeetings?$filter=Redacted")]
    [InlineData("https://graph.microsoft.com/v1.0/users/dc17674c-81d9/onlineMeetings", "https://graph.microsoft.com/v1.0/users/dc17674c-81d9/onlineMeetings")]
    public void OutgoingUrl_LosesThePathSegmentsThatHoldAnAddress(string url, string expected)
    {
        using var activity = new Activity("GET");
        activity.SetTag("url.full", url);

        OutgoingHttp.RedactAddresses(activity, new HttpRequestMessage(HttpMethod.Get, url));

        Assert.Equal(expected, activity.GetTagItem("url.full"));
    }

    [Fact]
    public void TheWorkersChannelToTheHost_IsNotADependency()
    {
        Assert.True(OutgoingHttp.IsFunctionsHostChannel(new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:50051/AzureFunctionsRpcMessages.FunctionRpc/EventStream")));
        Assert.False(OutgoingHttp.IsFunctionsHostChannel(new HttpRequestMessage(HttpMethod.Get, "https://graph.microsoft.com/v1.0/groups/delta")));
    }
}
