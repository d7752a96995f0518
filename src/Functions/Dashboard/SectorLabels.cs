using Engagement.Core.Domain;
using Microsoft.Extensions.Localization;

namespace Engagement.Functions.Dashboard;

/// <summary>A sector's name in the page's language.</summary>
internal static class SectorLabels
{
    public static string Of(Sector sector, IStringLocalizer localizer) => localizer["Sector." + sector];
}
