using System.Globalization;
using System.Resources;
using Engagement.Core.Domain;
using Engagement.Functions.ActionPlans;
using Engagement.Graph.Xlsx;

namespace Engagement.Functions.Tests.ActionPlans;

/// <summary>How the import reads cells and headers as coordinators write them, apart from any file.</summary>
public sealed class TrackerReadingTests
{
    [Theory]
    [InlineData("2026-03-31", false, "2026-03-31")]
    [InlineData("2026/03/31", true, "2026-03-31")]
    [InlineData("2026-03-31T00:00:00", true, "2026-03-31")]
    [InlineData("31/03/2026", true, "2026-03-31")]
    [InlineData("1/4/26", true, "2026-04-01")]
    [InlineData("31.03.2026", true, "2026-03-31")]
    [InlineData("31 mars 2026", true, "2026-03-31")]
    [InlineData("1er mars 2026", true, "2026-03-01")]
    [InlineData("le 5 août 2026", true, "2026-08-05")]
    [InlineData("March 31, 2026", true, "2026-03-31")]
    [InlineData("mars 2026", true, "2026-03-31")]
    [InlineData("mars 2026", false, "2026-03-01")]
    [InlineData("Février 2028", true, "2028-02-29")]
    [InlineData("janv. 2027", true, "2027-01-31")]
    [InlineData("03/2026", true, "2026-03-31")]
    [InlineData("2026-09", false, "2026-09-01")]
    [InlineData("T2 2026", true, "2026-06-30")]
    [InlineData("Q3 2026", false, "2026-07-01")]
    [InlineData("2026", true, "2026-12-31")]
    [InlineData("2026", false, "2026-01-01")]
    [InlineData("En continu", true, null)]
    [InlineData("À déterminer", true, null)]
    [InlineData("-", true, null)]
    [InlineData("N/A", true, null)]
    public void TextDates_AreRead(string text, bool end, string? expected)
    {
        Assert.True(TrackerDates.TryReadText(text, end, out var day), text);
        Assert.Equal(expected, day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("31 juin")]
    [InlineData("31 juin 2026")]
    [InlineData("30/02/2026")]
    [InlineData("bientôt")]
    [InlineData("13/13/2026")]
    [InlineData("mars")]
    [InlineData("0000-01-01")]
    [InlineData("T5 2026")]
    public void UnreadableDates_AreRefused(string text) => Assert.False(TrackerDates.TryReadText(text, end: true, out _), text);

    [Theory]
    [InlineData("46112", false, true, "2026-03-31")]      // a date cell
    [InlineData("46112", false, false, "2026-03-31")]     // a date whose format was lost
    [InlineData("2027", true, false, "2027-12-31")]       // a year typed as a number
    [InlineData("46112.75", false, true, "2026-03-31")]   // a date and time
    public void NumberCells_AreRead(string value, bool end, bool isDate, string expected)
    {
        Assert.True(TrackerDates.TryRead(new XlsxCell(value, XlsxCellKind.Number, isDate), end, out var day));
        Assert.Equal(expected, day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void SmallNumbers_AreNotDates() => Assert.False(TrackerDates.TryRead(new XlsxCell("3", XlsxCellKind.Number, false), end: true, out _));

    [Theory]
    [InlineData("À venir", ActionStatus.NotStarted)]
    [InlineData("Non débuté", ActionStatus.NotStarted)]
    [InlineData("en cours", ActionStatus.OnTrack)]
    [InlineData("In progress", ActionStatus.OnTrack)]
    [InlineData("EN RETARD !", ActionStatus.Late)]
    [InlineData("Terminé(e)", ActionStatus.Done)]
    [InlineData("Réalisée", ActionStatus.Done)]
    [InlineData("Annulé", ActionStatus.Abandoned)]
    [InlineData("abandoned", ActionStatus.Abandoned)]
    public void Statuses_InEitherLanguage_AreRead(string text, ActionStatus expected)
    {
        Assert.True(TrackerStatuses.TryParse(text, out var status), text);
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData("No", "Number")]
    [InlineData("N°", "Number")]
    [InlineData("#", "Number")]
    [InlineData("Numéro", "Number")]
    [InlineData("OBJECTIFS", "Objective")]
    [InlineData("Moyen", "Action")]
    [InlineData("Organisme responsable", "Lead")]
    [InlineData("Maître d’œuvre", "Lead")]
    [InlineData("Partenaires impliqués", "Partners")]
    [InlineData("Date de début", "Start")]
    [InlineData("Date d'échéance", "Due")]
    [InlineData("Échéance", "Due")]
    [InlineData("Résultats attendus", "Deliverables")]
    [InlineData("Ressources requises", "Resources")]
    [InlineData("État d'avancement", "Status")]
    [InlineData("Suivi / commentaires", "Comments")]
    [InlineData("Due date", "Due")]
    [InlineData("Lead organization", "Lead")]
    public void Headers_InEitherLanguage_AreRecognised(string header, string expected) => Assert.Equal(Enum.Parse<TrackerColumn>(expected), TrackerColumns.RoleOf(header));

    [Theory]
    [InlineData("Budget")]
    [InlineData("Plan d'action MADA 2025-2027")]
    [InlineData("Indicateurs")]
    public void OtherHeaders_AreNotColumnsOfTheTracker(string header) => Assert.Null(TrackerColumns.RoleOf(header));

    [Theory]
    [InlineData("1. Briser l’isolement", null, "O1", "Briser l’isolement")]
    [InlineData("Objectif 2 : Favoriser la participation", null, "O2", "Favoriser la participation")]
    [InlineData("Objective #3 - Housing", null, "O3", "Housing")]
    [InlineData("O4 Transport", null, "O4", "Transport")]
    [InlineData("1.2) Sous-objectif", null, "O1.2", "Sous-objectif")]
    [InlineData("Soutenir les proches aidants", "5", "O5", "Soutenir les proches aidants")]
    [InlineData("Soutenir les proches aidants", null, "O-soutenir-les-proches-aidants", "Soutenir les proches aidants")]
    [InlineData("2026 : une année de transition", null, "O-2026-une-annee-de-transition", "2026 : une année de transition")]
    public void Objectives_GetTheirIdFromTheirNumber_ElseTheirWords(string text, string? rowNumber, string id, string title)
    {
        var (objectiveId, _, objectiveTitle) = TrackerPlan.ObjectiveOf(text, rowNumber);
        Assert.Equal((id, title), (objectiveId, objectiveTitle));
    }

    [Fact]
    public void LongObjectiveWithoutNumber_GetsABoundedStableId()
    {
        var text = "Favoriser la participation sociale et citoyenne des personnes aînées dans tous les quartiers";
        var (first, _, _) = TrackerPlan.ObjectiveOf(text, null);
        var (again, _, _) = TrackerPlan.ObjectiveOf(text, null);
        var (other, _, _) = TrackerPlan.ObjectiveOf(text + " du Centre-Sud", null);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.True(first.Length <= 2 + 40 + 7, first);
    }

    [Fact]
    public void TrackerTexts_HaveTheSameKeysInBothLanguages_AndTheSamePlaceholders()
    {
        var resources = new ResourceManager("Engagement.Functions.ActionPlans.TrackerTexts", typeof(TrackerImport).Assembly);
        Dictionary<string, string> Read(string culture) =>
            resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)!
                .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
        var french = Read(CultureInfo.InvariantCulture.Name);
        var english = Read("en-CA");

        Assert.True(french.Count > 50, $"{french.Count} texts");
        Assert.Equal(french.Keys.Order(StringComparer.Ordinal), english.Keys.Order(StringComparer.Ordinal));
        Assert.All(french.Keys, key => Assert.Equal(Placeholders(french[key]), Placeholders(english[key])));
        Assert.All(Enum.GetValues<TrackerColumn>(), c => Assert.True(french.ContainsKey("Column." + c) && french.ContainsKey("Help." + c), c.ToString()));
        Assert.All(Enum.GetValues<ActionStatus>(), s => Assert.True(french.ContainsKey("Status." + WireNames.Format(s)) && french.ContainsKey("StatusHelp." + WireNames.Format(s)), s.ToString()));
        // Each language's status labels read back as the status they name.
        Assert.All(Enum.GetValues<ActionStatus>(), s => Assert.All(new[] { PartnershipLanguage.French, PartnershipLanguage.English }, l =>
        {
            Assert.True(TrackerStatuses.TryParse(TrackerTexts.Status(l, s), out var read));
            Assert.Equal(s, read);
        }));
        // Each language's headers are read as their column.
        Assert.All(Enum.GetValues<TrackerColumn>(), c => Assert.All(new[] { PartnershipLanguage.French, PartnershipLanguage.English }, l => Assert.Equal(c, TrackerColumns.RoleOf(TrackerTexts.Header(l, c)))));

        static string Placeholders(string text) => string.Join(',', System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+[^}]*\}").Select(m => m.Value).Order(StringComparer.Ordinal));
    }
}
