using System.Collections;
using System.Reflection;
using Engagement.Functions.Hosting;

namespace Engagement.Functions.Tests.Hosting;

/// <summary>
/// Every setting the code binds, as an environment-variable name (<c>Section__Property</c>, lists as <c>__0</c>), with
/// its default: the options classes read by reflection, plus the timers' schedules (<c>Schedules__{Name}</c>, the app
/// settings that each <c>[TimerTrigger("%Schedules:{Name}%")]</c> reads, with the defaults of <see cref="TimerSchedules"/>).
/// </summary>
internal static class CodeSettings
{
    // Every options class of the app, found rather than listed: a class with a constant Section (its settings
    // section) that can be instantiated; the timers' schedules are added from TimerSchedules below.
    private static readonly (Type Type, string Section)[] OptionClasses =
    [
        .. new[] { typeof(TimerSchedules).Assembly, typeof(Engagement.Graph.GraphOptions).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && type != typeof(TimerSchedules))
            .Select(type => (Type: type, Field: type.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
            .Select(x => (x.Type, (string)x.Field!.GetRawConstantValue()!))
            .OrderBy(x => x.Item2, StringComparer.Ordinal),
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
