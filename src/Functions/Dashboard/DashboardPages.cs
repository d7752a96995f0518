using System.Globalization;
using System.Security.Claims;
using System.Text;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Problems;
using Engagement.Functions.Security;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The coordinators' dashboard: server-rendered HTML with inline SVG, no script and no front-end build, in French or
/// English (<c>?lang=</c>). A browser signs in by pasting its API key once; an encrypted, signed, 12-hour session (never
/// the key) then travels in an HttpOnly, SameSite=Strict cookie, Secure over HTTPS, honoured only for GET requests under
/// <c>/api/dashboard</c>. Every page carries a Content-Security-Policy without script.
/// </summary>
internal static class DashboardPages
{
    public const string Cookie = "ef_key";
    public const string Path = "/api/dashboard";
    private const int MinimumGroup = 5;

    internal static IResult LoginPage(HttpRequest request)
    {
        var lang = Lang(request, null);
        return Page(lang, "EngagementFunctions",
            $"<h1>{T(lang, "Connexion", "Sign in")}</h1><form method=\"post\" action=\"{Path}/login{LangQuery(request)}\"><label for=\"key\">{T(lang, "Clé d’API", "API key")}</label> <input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required> <button type=\"submit\">{T(lang, "Se connecter", "Sign in")}</button></form>",
            switchTo: $"{Path}/login?lang={(lang == "fr" ? "en" : "fr")}");
    }

    internal static async Task<IResult> LoginAsync(HttpRequest request, ApiKeyRegistry keys, DashboardSessions sessions)
    {
        // The sign-in form posts application/x-www-form-urlencoded; anything else is refused before it is read.
        if (!request.HasFormContentType)
        {
            throw new RequestRejectedException(StatusCodes.Status415UnsupportedMediaType, "Content-Type", $"Send the sign-in form as application/x-www-form-urlencoded (got '{request.ContentType ?? "none"}').");
        }

        var form = await request.ReadFormAsync();
        var key = form["key"].ToString().Trim();
        var lang = Lang(request, null);
        if (key.Length == 0 || keys.Find(key) is not { } entry)
        {
            return Page(lang, "EngagementFunctions", $"<h1>{T(lang, "Clé refusée", "Key refused")}</h1><p><a href=\"{Path}/login\">{T(lang, "Réessayer", "Try again")}</a></p>", StatusCodes.Status401Unauthorized);
        }

        // A key that may not read the dashboard (ingest only, pii only) gets no session at all.
        if (!DashboardRoles.Any(entry.Roles.Contains))
        {
            return Page(lang, "EngagementFunctions", $"<h1>{T(lang, "Cette clé n’ouvre pas le tableau de bord", "This key does not open the dashboard")}</h1><p>{T(lang, "Il faut une clé de coordination, d’analyse ou d’administration.", "It takes a coordinator, analyst or admin key.")}</p><p><a href=\"{Path}/login\">{T(lang, "Réessayer", "Try again")}</a></p>", StatusCodes.Status403Forbidden);
        }

        request.HttpContext.Response.Cookies.Append(Cookie, sessions.Create(entry), new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = request.IsHttps, Path = Path, MaxAge = DashboardSessions.Lifetime });
        return Results.Redirect(Path + LangQuery(request), permanent: false, preserveMethod: false);
    }

    /// <summary>The roles that may read the dashboard.</summary>
    private static readonly string[] DashboardRoles = [Roles.Coordinator, Roles.Analyst, Roles.Admin];

    private static bool MayRead(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && DashboardRoles.Any(user.IsInRole);

    internal static async Task<IResult> OverviewAsync(HttpRequest request, ClaimsPrincipal user, IPartnershipStore partnershipStore, IAttendanceStore attendanceStore, IRiskStore riskStore, TimeProvider time, CancellationToken ct)
    {
        if (!MayRead(user))
        {
            return Results.Redirect(Path + "/login");
        }

        var lang = Lang(request, null);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var rows = new List<(double Probability, string Html)>();
        foreach (var partnership in (await partnershipStore.ListPartnershipsAsync(ct)).Where(p => user.CanAccess(p.Id)))
        {
            var snapshots = await riskStore.ListRiskSnapshotsAsync(partnership.Id, today.AddDays(-400), today, ct);
            var last = snapshots.LastOrDefault(s => s.OrganizationId is null);
            var meetings = await attendanceStore.ListMeetingsAsync(partnership.Id, ct);
            var shares = meetings.Where(m => !m.Meeting.Cancelled && m.Present + m.Absent + m.Excused > 0)
                .TakeLast(12).Select(m => m.Present / (double)(m.Present + m.Absent + m.Excused)).ToList();
            var reason = last?.Reasons.FirstOrDefault() is { } r ? (lang == "fr" ? r.French : r.English) : string.Empty;
            rows.Add((last?.Probability ?? -1, $"<tr><th scope=\"row\"><a href=\"{Path}/partnerships/{Uri.EscapeDataString(partnership.Id)}?lang={lang}\">{Html.E(partnership.Name)}</a></th>"
                + $"<td>{Band(last?.Band, lang)}</td><td>{(last is null ? "—" : last.Probability.ToString("P0", Culture(lang)))} {Arrow(last)}</td>"
                + $"<td>{(last is null ? "—" : $"<time datetime=\"{last.AsOfDate:yyyy-MM-dd}\">{Day(last.AsOfDate, lang)}</time>")}</td>"
                + $"<td>{Svg.Sparkline(shares, T(lang, "Présence aux 12 dernières rencontres", "Attendance at the last 12 meetings"))}</td><td>{Html.E(reason)}</td></tr>"));
        }

        var body = new StringBuilder($"<h1>{T(lang, "Partenariats par niveau de risque", "Partnerships by risk")}</h1>");
        body.Append($"<table><thead><tr><th scope=\"col\">{T(lang, "Partenariat", "Partnership")}</th><th scope=\"col\">{T(lang, "Niveau", "Band")}</th><th scope=\"col\">{T(lang, "Risque", "Risk")}</th><th scope=\"col\">{T(lang, "Calculé le", "Scored on")}</th><th scope=\"col\">{T(lang, "Présence", "Attendance")}</th><th scope=\"col\">{T(lang, "Raison principale", "Main reason")}</th></tr></thead><tbody>");
        rows.OrderByDescending(r => r.Probability).ToList().ForEach(r => body.Append(r.Html));
        body.Append("</tbody></table>");
        return Page(lang, T(lang, "Tableau de bord", "Dashboard"), body.ToString(), switchTo: $"{Path}?lang={(lang == "fr" ? "en" : "fr")}");
    }

    /// <summary>
    /// How a person is shown: their id to those who may see who people are (coordinator, admin, or the <c>pii</c>
    /// role), else the pseudonymous key of the exports (its first 8 digits, so a chart can be matched with Power BI).
    /// Ids are often names (<c>marie</c>).
    /// </summary>
    internal static Func<string, string> PersonLabels(ClaimsPrincipal user, string partnershipId, byte[] personKeySecret)
    {
        if (user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Pii))
        {
            return id => id;
        }

        return id => Exports.ExportContext.Of(personKeySecret, partnershipId, id)[..8];
    }

    internal static async Task<IResult> PartnershipAsync(string partnershipId, HttpRequest request, ClaimsPrincipal user, IPartnershipStore partnershipStore, IRosterStore rosterStore, IAttendanceStore attendanceStore, IFormStore formStore, IRiskStore riskStore, IAlertStore alertStore, byte[] personKeySecret, TimeProvider time, CancellationToken ct)
    {
        if (!MayRead(user))
        {
            return Results.Redirect(Path + "/login");
        }

        if (!user.CanAccess(partnershipId) || await partnershipStore.GetPartnershipAsync(partnershipId, ct) is not { } partnership)
        {
            var missing = Lang(request, null);
            return Page(missing, "404", $"<h1>404</h1><p>{T(missing, "Ce partenariat n’existe pas, ou cette clé ne peut pas le voir.", "This partnership does not exist, or this key may not see it.")}</p><p><a href=\"{Path}{LangQuery(request)}\">{T(missing, "Tous les partenariats", "All partnerships")}</a></p>", StatusCodes.Status404NotFound);
        }

        var lang = Lang(request, partnership);
        var culture = Culture(lang);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var roster = await rosterStore.GetRosterAsync(partnershipId, ct);
        var meetings = (await attendanceStore.ListMeetingsAsync(partnershipId, ct)).Where(m => !m.Meeting.Cancelled).ToList();
        var snapshots = await riskStore.ListRiskSnapshotsAsync(partnershipId, today.AddDays(-730), today, ct);
        var latestDay = snapshots.LastOrDefault()?.AsOfDate;
        var latest = snapshots.Where(s => s.AsOfDate == latestDay).ToList();
        var whole = latest.FirstOrDefault(s => s.OrganizationId is null);
        var names = roster.Organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        var label = PersonLabels(user, partnershipId, personKeySecret);

        var body = new StringBuilder($"<h1>{Html.E(partnership.Name)}</h1>");
        if (whole is not null)
        {
            body.Append($"<p>{Band(whole.Band, lang)} — {whole.Probability.ToString("P0", culture)} {Arrow(whole)}</p><ul>");
            whole.Reasons.ToList().ForEach(r => body.Append($"<li>{Html.E(lang == "fr" ? r.French : r.English)}</li>"));
            body.Append("</ul>");
            if (whole.PriorModel)
            {
                body.Append($"<p><small>{T(lang, "Score du modèle de départ : pas encore assez d’historique pour entraîner un modèle.", "Scored by the starting model: not enough history yet to train one.")}</small></p>");
            }
        }

        body.Append($"<h2>{T(lang, "Présence aux rencontres", "Meeting attendance")}</h2>");
        body.Append(Svg.LineChart([.. meetings.Where(m => m.Present + m.Absent + m.Excused > 0).Select(m => (m.Meeting.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), m.Present / (double)(m.Present + m.Absent + m.Excused)))], T(lang, "Part des personnes présentes par rencontre", "Share of people present per meeting")));

        body.Append($"<h2>{T(lang, "Représentation des organisations", "Who represents each organisation")}</h2>");
        var start = roster.Representations.Count == 0 ? today.AddYears(-1) : roster.Representations.Min(r => r.From);
        body.Append(Svg.Timeline([.. roster.Organizations.Select(o => (o.Name, (IReadOnlyList<(DateOnly, DateOnly?, string)>)[.. roster.Representations.Where(r => r.OrganizationId == o.Id).Select(r => (r.From, r.To, label(r.PersonId)))]))], start, today,
            T(lang, "Périodes de représentation ; les vides sont des sièges vacants", "Representation periods; gaps are vacant seats")));

        body.Append($"<h2>{T(lang, "Historique du risque", "Risk history")}</h2>");
        body.Append(!snapshots.Any(s => s.OrganizationId is null)
            ? $"<p>{T(lang, "Pas encore de score : le calcul quotidien (ScoreRisk) n’a pas encore tourné pour ce partenariat.", "No score yet: the daily scoring (ScoreRisk) has not run for this partnership.")}</p>"
            : Svg.LineChart([.. snapshots.Where(s => s.OrganizationId is null).Select(s => (s.AsOfDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.Probability))], T(lang, "Risque du partenariat au fil du temps", "Partnership risk over time"), "#c53030"));

        body.Append($"<h2>{T(lang, "Organisations", "Organisations")}</h2><table><thead><tr><th scope=\"col\">{T(lang, "Organisation", "Organisation")}</th><th scope=\"col\">{T(lang, "Niveau", "Band")}</th><th scope=\"col\">{T(lang, "Risque", "Risk")}</th><th scope=\"col\">{T(lang, "Raisons", "Reasons")}</th></tr></thead><tbody>");
        var byOrganization = latest.Where(s => s.OrganizationId is not null).ToDictionary(s => s.OrganizationId!, StringComparer.Ordinal);
        foreach (var organization in roster.Organizations.OrderByDescending(o => byOrganization.GetValueOrDefault(o.Id)?.Probability ?? -1).ThenBy(o => o.Name, StringComparer.CurrentCulture))
        {
            var s = byOrganization.GetValueOrDefault(organization.Id);
            body.Append($"<tr><th scope=\"row\">{Html.E(organization.Name)}</th><td>{Band(s?.Band, lang)}</td><td>{(s is null ? "—" : $"{s.Probability.ToString("P0", culture)} {Arrow(s)}")}</td><td>{Html.E(s is null ? string.Empty : string.Join(" · ", s.Reasons.Select(r => lang == "fr" ? r.French : r.English)))}</td></tr>");
        }

        body.Append("</tbody></table>");
        var open = (await alertStore.ListAlertsAsync(partnershipId, ct)).Where(a => a.Status != AlertStatus.Resolved).ToList();
        body.Append($"<h2>{T(lang, "Alertes ouvertes", "Open alerts")}</h2>");
        body.Append(open.Count == 0 ? $"<p>{T(lang, "Aucune.", "None.")}</p>" : "<ul>" + string.Concat(open.Select(a => $"<li>{Html.E(a.OrganizationId is { } o ? names.GetValueOrDefault(o, o) : partnership.Name)} — {Band(a.Band, lang)}</li>")) + "</ul>");

        body.Append($"<h2>{T(lang, "Autodiagnostic CACIS", "CACIS self-diagnostic")}</h2>").Append(Diagnostic(roster, await formStore.ListFormSubmissionsAsync(partnershipId, ct), lang));
        return Page(lang, partnership.Name, body.ToString(), switchTo: $"{Path}/partnerships/{Uri.EscapeDataString(partnershipId)}?lang={(lang == "fr" ? "en" : "fr")}", back: $"{Path}?lang={lang}");
    }

    /// <summary>The radar: per respondent group (their organisation's sector), the share of A answers per condition; groups under 5 are not shown.</summary>
    private static string Diagnostic(Roster roster, IReadOnlyList<FormSubmission> submissions, string lang)
    {
        var sectors = roster.Organizations.ToDictionary(o => o.Id, o => o.Sector, StringComparer.Ordinal);
        var groups = submissions.Where(s => s.Kind == FormKind.Diagnostic && s.DiagnosticItems is { Count: > 0 } && s.RespondentPersonId is not null)
            .GroupBy(s =>
            {
                var day = DateOnly.FromDateTime(s.SubmittedAt.DateTime);
                var org = roster.Representations.FirstOrDefault(r => r.PersonId == s.RespondentPersonId && r.IsActiveOn(day))?.OrganizationId;
                return SectorLabel(org is not null && sectors.TryGetValue(org, out var sector) ? sector : Sector.Other, lang);
            })
            .Where(g => g.Select(s => s.RespondentPersonId).Distinct().Count() >= MinimumGroup)
            .ToList();
        if (groups.Count == 0)
        {
            return $"<p>{T(lang, "Aucun groupe d’au moins 5 répondants : rien n’est affiché, pour protéger l’anonymat.", "No group of 5 or more respondents: nothing is shown, to protect anonymity.")}</p>";
        }

        var axes = Cacis.Conditions.Keys.Order().Select(c => (lang == "fr" ? "Condition " : "Condition ") + c.ToString(CultureInfo.InvariantCulture)).ToList();
        var polygons = groups.Select(g => (g.Key, (IReadOnlyList<double>)[.. Cacis.Conditions.OrderBy(c => c.Key).Select(c =>
        {
            var answers = g.SelectMany(s => s.DiagnosticItems!.Where(i => c.Value.Contains(i.Key)).Select(i => i.Value)).ToList();
            return answers.Count == 0 ? 0 : answers.Count(a => a == DiagnosticAnswer.A) / (double)answers.Count;
        })])).ToList();
        return Svg.Radar(axes, polygons, T(lang, "Part des réponses A par condition, par groupe de répondants", "Share of A answers per condition, by respondent group"));
    }

    /// <summary>The language asked for with <c>?lang=</c>, if any.</summary>
    private static string? ChosenLang(HttpRequest request) => request.Query["lang"].FirstOrDefault() is "en" or "fr" ? request.Query["lang"].First() : null;

    private static string Lang(HttpRequest request, Partnership? partnership) =>
        ChosenLang(request) ?? (partnership?.Language == PartnershipLanguage.English ? "en" : "fr");

    private static string SectorLabel(Sector sector, string lang) => sector switch
    {
        Sector.Community => T(lang, "communautaire", "community"),
        Sector.Municipal => T(lang, "municipal", "municipal"),
        Sector.HealthSocialServices => T(lang, "santé et services sociaux", "health and social services"),
        Sector.School => T(lang, "scolaire", "school"),
        Sector.Citizen => T(lang, "citoyen·nes", "citizens"),
        Sector.Business => T(lang, "entreprises", "business"),
        _ => T(lang, "autres", "other"),
    };

    /// <summary>Carries an explicit language choice through the sign-in form and redirect.</summary>
    private static string LangQuery(HttpRequest request) => ChosenLang(request) is { } lang ? "?lang=" + lang : string.Empty;

    /// <summary>A day as each language writes it: "30 novembre 2026", "November 30, 2026".</summary>
    private static string Day(DateOnly day, string lang) => day.ToString(lang == "fr" ? "d MMMM yyyy" : "MMMM d, yyyy", Culture(lang));

    private static CultureInfo Culture(string lang) => CultureInfo.GetCultureInfo(lang == "fr" ? "fr-CA" : "en-CA");

    private static string T(string lang, string french, string english) => lang == "fr" ? french : english;

    private static string Band(string? band, string lang) => band switch
    {
        "high" => $"<strong class=\"band-high\">{T(lang, "élevé", "high")}</strong>",
        "medium" => $"<span class=\"band-medium\">{T(lang, "moyen", "medium")}</span>",
        "low" => $"<span class=\"band-low\">{T(lang, "faible", "low")}</span>",
        _ => "—",
    };

    private static string Arrow(RiskSnapshot? snapshot) => snapshot?.PreviousProbability switch
    {
        null => string.Empty,
        { } p when snapshot.Probability - p >= 0.05 => "<span aria-label=\"up\">↑</span>",
        { } p when p - snapshot.Probability >= 0.05 => "<span aria-label=\"down\">↓</span>",
        _ => "<span aria-label=\"stable\">→</span>",
    };

    private static IResult Page(string lang, string title, string body, int status = StatusCodes.Status200OK, string? switchTo = null, string? back = null)
    {
        var nav = new StringBuilder("<nav>");
        if (back is not null)
        {
            nav.Append($"<a href=\"{back}\">{T(lang, "← Tous les partenariats", "← All partnerships")}</a> ");
        }

        if (switchTo is not null)
        {
            nav.Append($"<a href=\"{switchTo}\" lang=\"{(lang == "fr" ? "en" : "fr")}\">{(lang == "fr" ? "English" : "Français")}</a>");
        }

        nav.Append("</nav>");
        return Html.Page(lang, title, $"{nav}<main>{body}</main>", status);
    }
}
