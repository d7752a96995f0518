using Engagement.Core.Domain;

namespace Engagement.Functions.Dashboard;

/// <summary>The dashboard's addresses, each carrying the page's language.</summary>
internal static class DashboardPaths
{
    public const string Root = "/api/dashboard";

    public static string Lang(PartnershipLanguage language) => "lang=" + PageLanguages.Code(language);

    public static string Overview(PartnershipLanguage language) => $"{Root}?{Lang(language)}";

    public static string Login(PartnershipLanguage? language) => Root + "/login" + (language is { } l ? "?" + Lang(l) : string.Empty);

    public static string Partnership(string partnershipId, PartnershipLanguage language, string? query = null) =>
        $"{Root}/partnerships/{Uri.EscapeDataString(partnershipId)}?{(query is null ? string.Empty : query + "&")}{Lang(language)}";

    public static string Report(string partnershipId, PartnershipLanguage language, string? query = null) =>
        $"{Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/report?{(query is null ? string.Empty : query + "&")}{Lang(language)}";

    public static string ReportDocx(string partnershipId, PartnershipLanguage language, string? query = null) =>
        $"{Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/report.docx?{(query is null ? string.Empty : query + "&")}{Lang(language)}";

    public static string Narrative(string partnershipId, string objectiveId, PartnershipLanguage language, string? query = null) =>
        $"{Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/report/objectives/{Uri.EscapeDataString(objectiveId)}?{(query is null ? string.Empty : query + "&")}{Lang(language)}";

    public static string Plan(string partnershipId, PartnershipLanguage language) =>
        $"{Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/plan?{Lang(language)}";

    public static string TrackerTemplate(string partnershipId, PartnershipLanguage language) =>
        $"{Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/plan/template.xlsx?{Lang(language)}";

    public static string TrackerImport(string partnershipId, PartnershipLanguage language) =>
        $"{Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/plan/import?{Lang(language)}";

    public static string Organization(string partnershipId, string organizationId, PartnershipLanguage language) =>
        $"{Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/organizations/{Uri.EscapeDataString(organizationId)}?{Lang(language)}";
}

/// <summary>What every page knows: its language, the same page in the other language, today (Montréal).</summary>
public sealed record PageContext(PartnershipLanguage Language, string OtherLanguageUrl, DateOnly Today, bool ShowOverviewLink = true)
{
    internal static PageContext For(HttpRequest request, PartnershipLanguage language, TimeProvider time, bool showOverviewLink = true) =>
        new(language, PageLanguages.Switch(request, PageLanguages.Other(language)), DateOnly.FromDateTime(MontrealClock.ToLocal(time.GetUtcNow()).DateTime), showOverviewLink);
}
