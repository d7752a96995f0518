using Microsoft.Extensions.Localization;

namespace Engagement.Functions.Dashboard;

/// <summary>The report's words, shared by its page and its .docx so both say the same thing.</summary>
internal static class ReportText
{
    /// <summary>The figures of the period as label and value, in the page's culture.</summary>
    public static IEnumerable<(string Label, string Value)> Figures(ReportFigures f, IStringLocalizer l)
    {
        yield return (l["Report.FigMeetings"], f.Meetings.ToString(System.Globalization.CultureInfo.CurrentCulture));
        yield return (l["Report.FigAttendance"], f.AttendanceRate is { } rate ? l["Report.RateOf", Fmt.Percent(rate), f.Present, f.Present + f.Absent + f.Excused] : "–");
        yield return (l["Report.FigOrganizations"], l["Report.OfAll", f.OrganizationsPresent, f.Organizations]);
        yield return (l["Report.FigPeople"], f.PeoplePresent.ToString(System.Globalization.CultureInfo.CurrentCulture));
        yield return (l["Report.FigSheets"], f.SheetResponseRate is { } sheets ? l["Report.RateOf", Fmt.Percent(sheets), f.SheetsAnswered, f.SheetsAsked] : "–");
        yield return (l["Report.FigForms"], f.FormAnswers.ToString(System.Globalization.CultureInfo.CurrentCulture));
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        yield return (l["Report.FigActions"], f.Actions.ToString(culture));
        yield return (l["Report.FigDone"], f.ActionsDone.ToString(culture));
        yield return (l["Report.FigOnTrack"], f.ActionsOnTrack.ToString(culture));
        yield return (l["Report.FigLate"], f.ActionsLate.ToString(culture));
        yield return (l["Report.FigNotStarted"], f.ActionsNotStarted.ToString(culture));
        yield return (l["Report.FigAbandoned"], f.ActionsAbandoned.ToString(culture));
    }

    /// <summary>The four parts of an objective's narrative, heading and text (null when not written yet).</summary>
    public static IEnumerable<(string Heading, string? Text)> Narrative(Core.Domain.Objective objective, IStringLocalizer l)
    {
        yield return (l["Report.Results"], Blank(objective.Results));
        yield return (l["Report.Means"], Blank(objective.Means));
        yield return (l["Report.Adjustments"], Blank(objective.Adjustments));
        yield return (l["Report.Learnings"], Blank(objective.Learnings));
    }

    /// <summary>What a carrier said, part by part.</summary>
    public static IEnumerable<(string Label, string Text)> NoteParts(ReportNote note, IStringLocalizer l)
    {
        if (note.Done is { } done)
        {
            yield return (l["Report.Done"], done);
        }

        if (note.Obstacles is { } obstacles)
        {
            yield return (l["Report.Obstacles"], obstacles);
        }

        if (note.HelpNeeded is { } help)
        {
            yield return (l["Report.Help"], help);
        }
    }

    /// <summary>A text trimmed, or null when it says nothing.</summary>
    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
