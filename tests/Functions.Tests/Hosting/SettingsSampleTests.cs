using System.Text.Json;
using Engagement.Functions.Hosting;

namespace Engagement.Functions.Tests.Hosting;

public sealed class SettingsSampleTests
{
    private static HashSet<string> SampleKeys()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(CodeSettings.RepositoryRoot().FullName, "local.settings.sample.json")));
        return [.. document.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name)];
    }

    [Fact]
    public void Sample_ListsEverySettingOfEveryOptionsClass()
    {
        var keys = SampleKeys();
        var expected = CodeSettings.All().Keys.ToList();
        Assert.Contains("Storage__Sqlite__Path", expected);
        Assert.Contains("Auth__ApiKeys__0__Roles__0", expected);
        Assert.All(TimerSchedules.Defaults.Keys, name => Assert.Contains($"Schedules__{name}", expected));
        Assert.All(expected, key => Assert.Contains(key, keys));
    }
}
