using System.Collections;
using System.Reflection;
using Engagement.Functions.Hosting;
using Engagement.Functions.Privacy;
using Engagement.Functions.Security;
using Engagement.Functions.Storage;

namespace Engagement.Functions.Tests.Hosting;

/// <summary>
/// Every setting the code binds, as an environment-variable name (<c>Section__Property</c>, lists as <c>__0</c>), with
/// its default: the options classes read by reflection, plus the timers' schedules (<c>Schedules__{Name}</c>, the app
/// settings that each <c>[TimerTrigger("%Schedules:{Name}%")]</c> reads, with the defaults of <see cref="TimerSchedules"/>).
/// </summary>
internal static class CodeSettings
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
        (typeof(Engagement.Functions.Datasets.DatasetOptions), Engagement.Functions.Datasets.DatasetOptions.Section),
        (typeof(Engagement.Functions.Telemetry.TelemetryOptions), Engagement.Functions.Telemetry.TelemetryOptions.Section),
    ];

    /// <summary>Setting name → default value (null when the setting has none, or is an element of a list).</summary>
    public static IReadOnlyDictionary<string, object?> All()
    {
        var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (type, section) in OptionClasses)
        {
            Collect(type, Activator.CreateInstance(type, nonPublic: true), section, settings);
        }

        foreach (var (name, schedule) in TimerSchedules.Defaults)
        {
            settings[$"{TimerSchedules.Section}__{name}"] = schedule;
        }

        return settings;
    }

    /// <summary>The repository's root folder (the one holding the solution).</summary>
    public static DirectoryInfo RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "EngagementFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory;
    }

    private static void Collect(Type type, object? instance, string prefix, Dictionary<string, object?> settings)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = $"{prefix}__{property.Name}";
            var propertyType = property.PropertyType;
            var value = instance is null ? null : property.GetValue(instance);
            if (propertyType == typeof(string) || propertyType.IsValueType)
            {
                settings[path] = value;
            }
            else if (typeof(IEnumerable).IsAssignableFrom(propertyType) && propertyType.IsGenericType)
            {
                var element = propertyType.GetGenericArguments()[0];
                if (element == typeof(string))
                {
                    settings[$"{path}__0"] = null;
                }
                else
                {
                    Collect(element, null, $"{path}__0", settings);
                }
            }
            else
            {
                Collect(propertyType, value, path, settings);
            }
        }
    }
}
