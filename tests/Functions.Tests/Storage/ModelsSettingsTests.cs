namespace Engagement.Functions.Tests.Storage;

/// <summary>Storage:Models settings are checked at start: a wrong one stops the app and names itself.</summary>
public sealed class ModelsSettingsTests
{
    [Theory]
    [InlineData("Storage:Models:BlobEndpoint", "http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("Storage:Models:Container", "Models_Not_Valid")]
    public async Task AnInvalidModelsSetting_StopsTheAppAtStart_NamingIt(string setting, string value)
    {
        var settings = new Dictionary<string, string> { ["Storage:Models:BlobConnectionString"] = "UseDevelopmentStorage=true", [setting] = value };
        if (setting.EndsWith("BlobEndpoint", StringComparison.Ordinal))
        {
            settings.Remove("Storage:Models:BlobConnectionString");
        }

        await using var app = new EngagementApp(settings: settings);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains(setting, error.ToString(), StringComparison.Ordinal);
    }
}
