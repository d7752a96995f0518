using System.Globalization;

namespace Engagement.Functions.Dashboard;

/// <summary>Numbers written into SVG attributes: invariant, two decimals at most.</summary>
internal static class Svg
{
    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
