using System.Globalization;

namespace Engagement.Functions.Dashboard;

/// <summary>Numbers written into SVG attributes: invariant, one decimal at most (a tenth of a pixel is below what a screen shows).</summary>
internal static class Svg
{
    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
