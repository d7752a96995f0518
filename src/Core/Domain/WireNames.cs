using System.Globalization;
using System.Text;

namespace Engagement.Core.Domain;

/// <summary>
/// The wire spelling of every domain enum, and lenient parsing of the labels people type in
/// spreadsheets (case, accents and French words accepted).
/// </summary>
public static class WireNames
{
    private static readonly Dictionary<Type, (Dictionary<string, object> Parse, Dictionary<object, string> Format)> Maps = new()
    {
        [typeof(PartnershipLanguage)] = Build(
            (PartnershipLanguage.French, "fr", ["french", "francais"]),
            (PartnershipLanguage.English, "en", ["english", "anglais"])),
        [typeof(Sector)] = Build(
            (Sector.Community, "community", ["communautaire"]),
            (Sector.Municipal, "municipal", ["municipalite", "ville"]),
            (Sector.HealthSocialServices, "health-social-services", ["health", "sante", "sante-services-sociaux", "cisss", "ciusss"]),
            (Sector.School, "school", ["scolaire", "ecole"]),
            (Sector.Citizen, "citizen", ["citoyen", "citoyenne"]),
            (Sector.Business, "business", ["entreprise", "affaires"]),
            (Sector.Other, "other", ["autre"])),
        [typeof(RepresentationRole)] = Build(
            (RepresentationRole.Coordinator, "coordinator", ["coordonnateur", "coordonnatrice", "coordination"]),
            (RepresentationRole.Representative, "representative", ["representant", "representante"]),
            (RepresentationRole.Observer, "observer", ["observateur", "observatrice"]),
            (RepresentationRole.Citizen, "citizen", ["citoyen", "citoyenne"])),
        [typeof(MeetingKind)] = Build(
            (MeetingKind.Regular, "regular", ["reguliere", "ordinaire"]),
            (MeetingKind.Special, "special", ["speciale", "extraordinaire"]),
            (MeetingKind.WorkingGroup, "working-group", ["comite", "sous-comite", "groupe-de-travail"]),
            (MeetingKind.GeneralAssembly, "general-assembly", ["assemblee-generale", "ag"]),
            (MeetingKind.Other, "other", ["autre"])),
        [typeof(MeetingSource)] = Build(
            (MeetingSource.InPerson, "in-person", ["presentiel", "en-personne"]),
            (MeetingSource.Teams, "teams", ["online", "en-ligne"]),
            (MeetingSource.Hybrid, "hybrid", ["hybride"])),
        [typeof(AttendanceStatus)] = Build(
            (AttendanceStatus.Present, "present", ["presente", "p", "yes", "oui"]),
            (AttendanceStatus.Absent, "absent", ["absente", "a", "no", "non"]),
            (AttendanceStatus.Excused, "excused", ["excuse", "excusee", "e", "regrets"])),
        [typeof(IntegrationKind)] = Build(
            (IntegrationKind.TeamsMeeting, "teams-meeting", ["teams"]),
            (IntegrationKind.FormsWorkbook, "forms-workbook", ["workbook", "forms"]),
            (IntegrationKind.Group, "group", ["m365-group"])),
        [typeof(Alerts.AlertType)] = Build(
            (Alerts.AlertType.FallingAttendance, "falling-attendance", ["attendance"]),
            (Alerts.AlertType.RepresentativeTurnover, "representative-turnover", ["turnover", "vacancy"]),
            (Alerts.AlertType.CoordinatorChange, "coordinator-change", ["coordinator"]),
            (Alerts.AlertType.DiagnosticDecline, "diagnostic-decline", ["diagnostic"]),
            (Alerts.AlertType.LateActions, "late-actions", ["actions-en-retard", "retard"])),
        [typeof(Alerts.AlertStatus)] = Build(
            (Alerts.AlertStatus.Open, "open", ["ouverte"]),
            (Alerts.AlertStatus.Acknowledged, "acknowledged", ["vue", "prise-en-compte"]),
            (Alerts.AlertStatus.Resolved, "resolved", ["resolue", "fermee"])),
        [typeof(FormKind)] = Build(
            (FormKind.Feedback, "feedback", ["retroaction", "evaluation"]),
            (FormKind.FollowUp, "follow-up", ["suivi"]),
            (FormKind.Diagnostic, "diagnostic", ["cacis"]),
            (FormKind.Other, "other", ["autre"])),
        [typeof(ActionStatus)] = Build(
            (ActionStatus.NotStarted, "not-started", ["a-venir", "non-commence", "non-commencee", "pas-commence", "pas-commencee", "a-faire", "todo", "planned", "planifie", "planifiee", "prevu", "prevue"]),
            (ActionStatus.OnTrack, "on-track", ["en-cours", "en-bonne-voie", "in-progress", "ongoing", "en-marche", "debute", "debutee", "commence", "commencee", "started"]),
            (ActionStatus.Late, "late", ["en-retard", "retard", "retarde", "retardee", "delayed", "behind"]),
            (ActionStatus.Done, "done", ["termine", "terminee", "complete", "completee", "completed", "realise", "realisee", "fait", "faite", "finished"]),
            (ActionStatus.Abandoned, "abandoned", ["abandonne", "abandonnee", "annule", "annulee", "cancelled", "canceled", "dropped"])),
        [typeof(ActionUpdateSource)] = Build(
            (ActionUpdateSource.Sheet, "sheet", ["fiche", "fiche-de-suivi"]),
            (ActionUpdateSource.Coordinator, "coordinator", ["coordination"]),
            (ActionUpdateSource.Import, "import", ["tracker", "chiffrier"])),
        [typeof(FormQuestionKind)] = Build(
            (FormQuestionKind.Text, "text", ["texte"]),
            (FormQuestionKind.Scale, "scale", ["echelle", "rating"]),
            (FormQuestionKind.Choice, "choice", ["choix"])),
    };

    /// <summary>The canonical wire value of an enum member, e.g. <c>health-social-services</c>.</summary>
    public static string Format<T>(T value) where T : struct, Enum => Maps[typeof(T)].Format[value];

    /// <summary>The canonical wire values of an enum, for error messages and documentation.</summary>
    public static IReadOnlyList<string> Values<T>() where T : struct, Enum => [.. Maps[typeof(T)].Format.Values];

    /// <summary>Parses a wire value or a known alias; ignores case, accents, spaces and underscores.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        // Stored values are canonical already: look them up as they are before normalising (which allocates).
        var parse = Maps[typeof(T)].Parse;
        if (parse.TryGetValue(text, out var found) || parse.TryGetValue(Normalize(text), out found))
        {
            value = (T)found;
            return true;
        }

        return false;
    }

    /// <summary>Lower-cases, strips accents and turns spaces and underscores into hyphens.</summary>
    public static string Normalize(string text)
    {
        var decomposed = text.Trim().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(c is ' ' or '_' ? '-' : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static (Dictionary<string, object>, Dictionary<object, string>) Build<T>(params (T Value, string Wire, string[] Aliases)[] entries)
        where T : struct, Enum
    {
        var parse = new Dictionary<string, object>(StringComparer.Ordinal);
        var format = new Dictionary<object, string>();
        foreach (var (value, wire, aliases) in entries)
        {
            format[value] = wire;
            parse[wire] = value;
            parse[Normalize(value.ToString())] = value;
            foreach (var alias in aliases)
            {
                parse[alias] = value;
            }
        }

        return (parse, format);
    }
}
