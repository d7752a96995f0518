using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Engagement.Functions.Dashboard;

internal static class DashboardExtensions
{
    /// <summary>The pages' renderer (Razor components), their strings (fr-CA, en-CA) and their forms' antiforgery fields.</summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddComponentRendering();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "ef_form";
            options.Cookie.Path = DashboardPaths.Root;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "ef_token";
            options.SuppressXFrameOptionsHeader = true; // every page says DENY itself
        });
        builder.Services.AddScoped(sp => new EngagementReaders(
            sp.GetRequiredService<Core.Storage.IPartnershipStore>(), sp.GetRequiredService<Core.Storage.IRosterStore>(), sp.GetRequiredService<Core.Storage.IAttendanceStore>(),
            sp.GetRequiredService<Core.Storage.IFormStore>(), sp.GetRequiredService<Core.Storage.IRiskStore>(), sp.GetRequiredService<Core.Storage.IAlertStore>(),
            sp.GetRequiredService<Core.Storage.IActionPlanStore>()));
        return builder;
    }

    /// <summary>What every component rendered to HTML needs, pages and alert e-mails alike: the strings and the encoder.</summary>
    public static IServiceCollection AddComponentRendering(this IServiceCollection services)
    {
        services.AddLocalization();
        // French is written as French, not as character references (é, not &#xE9;): half the weight, the same safety
        // (markup characters are still escaped).
        services.TryAddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        return services;
    }
}
