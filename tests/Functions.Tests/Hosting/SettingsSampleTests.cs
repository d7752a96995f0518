using System.Collections;
using System.Reflection;
using System.Text.Json;
using Engagement.Functions.Hosting;
using Engagement.Functions.Privacy;
using Engagement.Functions.Security;
using Engagement.Functions.Storage;

namespace Engagement.Functions.Tests.Hosting;

public sealed class SettingsSampleTests
{
    private static readonly (Type Type, string Section)[] OptionClasses =
    [
        (typeof(StorageOptions), StorageOptions.Section),
        (typeof(AuthOptions), AuthOptions.Section),
        (typeof(PrivacyOptions), PrivacyOptions.Section),
        (typeof(SchedulerOptions), SchedulerOptions.Section),
        (typeof(Engagement.Functions.Risk.RiskOptions), Engagement.Functions.Risk.RiskOptions.Section),
        (typeof(Engagement.Functions.Risk.DemoOptions), Engagement.Functions.Risk.DemoOptions.Section),
        (typeof(Engagement.Graph.GraphOptions), Engagement.Graph.GraphOptions.Section),
        (typeof(Engagement.Functions.Alerts.AlertOptions), Engagement.Functions.Alerts.AlertOptions.Section),
        (typeof(Engagement.Functions.Exports.ExportOptions), Engagement.Functions.Exports.ExportOptions.Section),
    ];

    private static HashSet<string> SampleKeys()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "local.settings.sample.json")))
        {
            directory = directory.Parent;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.FullName, "local.settings.sample.json")));
        return [.. document.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name)];
    }

    private static IEnumerable<string> SettingPaths(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = $"{prefix}__{property.Name}";
            var propertyType = property.PropertyType;
            if (propertyType == typeof(string) || propertyType.IsValueType)
            {
                yield return path;
            }
            else if (typeof(IEnumerable).IsAssignableFrom(propertyType) && propertyType.IsGenericType)
            {
                var element = propertyType.GetGenericArguments()[0];
                if (element == typeof(string))
                {
                    yield return $"{path}__0";
                }
                else
                {
                    foreach (var nested in SettingPaths(element, $"{path}__0"))
                    {
                        yield return nested;
                    }
                }
            }
            else
            {
                foreach (var nested in SettingPaths(propertyType, path))
                {
                    yield return nested;
                }
            }
        }
    }

    [Fact]
    public void Sample_ListsEverySettingOfEveryOptionsClass()
    {
        var keys = SampleKeys();
        var expected = OptionClasses.SelectMany(o => SettingPaths(o.Type, o.Section))
            .Concat(FunctionRegistry.Timers.Select(t => $"Functions__Schedules__{t.Name}"))
            .ToList();
        Assert.Contains("Storage__Sqlite__Path", expected);
        Assert.All(expected, key => Assert.Contains(key, keys));
    }
}
