using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Functions.Dashboard;

/// <summary>One respondent group of the CACIS wheel: its sector, how many answered, the share of A answers per condition.</summary>
public sealed record WheelGroup(Sector Sector, int Respondents, IReadOnlyList<double> ShareA);

/// <summary>
/// The CACIS "roue": per respondent group (the sector of the organisation they represented when they answered), the
/// share of A answers per condition. Groups under <see cref="MinimumGroup"/> respondents are not shown, to keep
/// answers anonymous; <see cref="HiddenGroups"/> says how many were left out.
/// </summary>
public sealed record DiagnosticWheel(IReadOnlyList<int> Conditions, IReadOnlyList<WheelGroup> Groups, int HiddenGroups)
{
    public const int MinimumGroup = 5;

    internal static DiagnosticWheel Of(Roster roster, IReadOnlyList<FormSubmission> submissions)
    {
        var sectors = roster.Organizations.ToDictionary(o => o.Id, o => o.Sector, StringComparer.Ordinal);
        var conditions = Cacis.Conditions.Keys.Order().ToList();
        var groups = submissions.Where(s => s.Kind == FormKind.Diagnostic && s.DiagnosticItems is { Count: > 0 } && s.RespondentPersonId is not null)
            .GroupBy(s =>
            {
                var day = DateOnly.FromDateTime(s.SubmittedAt.DateTime);
                var organization = roster.Representations.FirstOrDefault(r => r.PersonId == s.RespondentPersonId && r.IsActiveOn(day))?.OrganizationId;
                return organization is not null && sectors.TryGetValue(organization, out var sector) ? sector : Sector.Other;
            })
            .Select(g => (Sector: g.Key, Respondents: g.Select(s => s.RespondentPersonId).Distinct(StringComparer.Ordinal).Count(), Submissions: g.ToList()))
            .ToList();
        var shown = groups.Where(g => g.Respondents >= MinimumGroup).OrderBy(g => g.Sector).Select(g => new WheelGroup(g.Sector, g.Respondents, [.. conditions.Select(c =>
        {
            var answers = g.Submissions.SelectMany(s => s.DiagnosticItems!.Where(i => Cacis.Conditions[c].Contains(i.Key)).Select(i => i.Value)).ToList();
            return answers.Count == 0 ? 0 : answers.Count(a => a == DiagnosticAnswer.A) / (double)answers.Count;
        })])).ToList();
        return new DiagnosticWheel(conditions, shown, groups.Count - shown.Count);
    }
}
