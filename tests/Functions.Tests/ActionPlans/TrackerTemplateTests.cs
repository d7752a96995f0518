using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using static Engagement.Functions.Tests.ActionPlans.PlanScenario;

namespace Engagement.Functions.Tests.ActionPlans;

/// <summary>The template to download: it opens in OpenXml as Excel would, explains itself, and reads back once filled in.</summary>
public sealed class TrackerTemplateTests
{
    [Fact]
    public async Task Template_InThePartnershipsLanguage_HasTheColumns_TheHelp_AndTheOrganisations()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);

        using var response = await app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/partnerships/p1/plan/template.xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(XlsxType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("plan-d-action-p1.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), isEditable: false);
        var validation = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(document).ToList();
        Assert.True(validation.Count == 0, string.Join("\n", validation.Select(v => $"{v.Part?.Uri} {v.Path?.XPath}: {v.Description}")));
        Assert.Equal(["Plan d’action", "Mode d’emploi", "Organismes"], Sheets(document).Select(s => s.Name));

        var plan = Sheets(document)[0].Part;
        Assert.Equal("Plan d’action — Comité MADA Centre-Sud", Text(plan, "A1"));
        Assert.Equal(["No", "Objectif", "Action", "Porteur", "Partenaires", "Début", "Échéance", "Livrables", "Ressources", "Statut", "Commentaires", "Obstacles", "Aide requise"],
            Row(plan, 2));
        var validations = plan.Worksheet.Descendants<DataValidation>().ToList();
        var lead = Assert.Single(validations, v => v.SequenceOfReferences!.InnerText == "D3:D502");
        Assert.Equal("'Organismes'!$A$2:$A$7", lead.Formula1!.Text);
        var status = Assert.Single(validations, v => v.SequenceOfReferences!.InnerText == "J3:J502");
        Assert.Equal("\"À venir,En cours,En retard,Terminée,Abandonnée\"", status.Formula1!.Text);

        var help = Sheets(document)[1].Part;
        var explained = help.Worksheet.Descendants<Cell>().Select(c => c.InnerText).ToList();
        Assert.Contains(explained, t => t.StartsWith("L’organisme qui porte l’action (obligatoire)", StringComparison.Ordinal));
        Assert.Contains("Abandonnée", explained);
        Assert.Contains("Réalisée : ses livrables sont livrés.", explained);

        var organizations = Sheets(document)[2].Part;
        Assert.Equal(["Bibliothèque Frontenac", "CDC Centre-Sud", "CIUSSS du Centre-Sud-de-l’Île-de-Montréal", "FADOQ – Région Île de Montréal", "Popote roulante Centre-Sud", "Ville de Montréal"],
            Enumerable.Range(2, 6).Select(r => Text(organizations, $"A{r}")));
        Assert.Equal("cdc", Text(organizations, "B3"));
    }

    [Fact]
    public async Task Template_InEnglish_OnRequest()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);

        using var response = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetAsync("/api/partnerships/p1/plan/template.xlsx?lang=en");

        Assert.Equal("action-plan-p1.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), isEditable: false);
        Assert.Equal(["Action plan", "How to", "Organizations"], Sheets(document).Select(s => s.Name));
        Assert.Equal(["No", "Objective", "Action", "Lead", "Partners", "Start", "Due", "Deliverables", "Resources", "Status", "Comments", "Obstacles", "Help needed"], Row(Sheets(document)[0].Part, 2));
    }

    [Fact]
    public async Task Template_InAnUnknownLanguage_Is400NamingLang()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);

        using var response = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetAsync("/api/partnerships/p1/plan/template.xlsx?lang=de");

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "lang");
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("en")]
    public async Task Template_FilledIn_ImportsBack(string language)
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        var template = await coordinator.GetByteArrayAsync($"/api/partnerships/p1/plan/template.xlsx?lang={language}");
        var (done, late) = language == "fr" ? ("Terminée", "En retard") : ("Done", "Late");

        // As a coordinator fills it in Excel: the objective once, dates typed as dates, names picked from the drop-down.
        var filled = Fill(template,
            ["1.1", "1. Briser l’isolement", "Répertoire des ressources", "CDC Centre-Sud", "Ville de Montréal", new DateOnly(2026, 1, 15), new DateOnly(2026, 3, 31), "Répertoire", null, done],
            ["1.2", null, "Cafés-rencontres", "Popote roulante Centre-Sud", "FADOQ – Région Île de Montréal; Bibliothèque Frontenac", null, new DateOnly(2026, 6, 30), null, null, late, "Salle à trouver"]);

        var answer = await ImportOkAsync(coordinator, "p1", filled);

        Assert.Equal(2, answer.GetProperty("headerRow").GetInt32());
        Assert.Equal((2, 0, 0), Counts(answer, "actions"));
        var plan = await PlanAsync(coordinator);
        Assert.Equal(("done", "2026-01-15"), (Action(plan, "O1.1").GetProperty("status").GetString(), Action(plan, "O1.1").GetProperty("startOn").GetString()));
        var cafes = Action(plan, "O1.2");
        Assert.Equal(("late", "2026-06-30", "Salle à trouver"), (cafes.GetProperty("status").GetString(), cafes.GetProperty("dueOn").GetString(), cafes.GetProperty("latestUpdate").GetProperty("done").GetString()));
        Assert.Equal(["fadoq", "biblio"], cafes.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal((0, 0, 2), Counts(await ImportOkAsync(coordinator, "p1", filled), "actions"));
    }

    [Fact]
    public async Task EmptyTemplate_IsRefused_SayingThereIsNoAction()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);

        using var response = await ImportAsync(coordinator, "p1", await coordinator.GetByteArrayAsync("/api/partnerships/p1/plan/template.xlsx"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "file");
        Assert.Equal("aucune action sous la ligne d’en-tête 2 de la feuille « Plan d’action »", problem.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    private static List<(string Name, WorksheetPart Part)> Sheets(SpreadsheetDocument document)
    {
        var workbook = document.WorkbookPart!;
        return [.. workbook.Workbook.Sheets!.Elements<Sheet>().Select(s => (s.Name!.Value!, (WorksheetPart)workbook.GetPartById(s.Id!.Value!)))];
    }

    private static string? Text(WorksheetPart part, string reference) =>
        part.Worksheet.Descendants<Cell>().FirstOrDefault(c => c.CellReference == reference)?.InnerText;

    private static List<string> Row(WorksheetPart part, uint row) =>
        [.. part.Worksheet.Descendants<Row>().Single(r => r.RowIndex! == row).Elements<Cell>().Select(c => c.InnerText)];

    // Writes rows under the template's header, dates as Excel stores a typed date (a serial with a date format).
    private static byte[] Fill(byte[] template, params object?[][] rows)
    {
        using var stream = new MemoryStream();
        stream.Write(template);
        using (var document = SpreadsheetDocument.Open(stream, isEditable: true))
        {
            var part = Sheets(document)[0].Part;
            var data = part.Worksheet.GetFirstChild<SheetData>()!;
            for (var r = 0; r < rows.Length; r++)
            {
                var number = (uint)(3 + r);
                var row = new Row { RowIndex = number };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    var reference = SheetLayout.Column(c + 1) + number;
                    switch (rows[r][c])
                    {
                        case string text:
                            row.Append(new Cell(new InlineString(new Text(text))) { CellReference = reference, DataType = CellValues.InlineString });
                            break;
                        case DateOnly day:
                            row.Append(new Cell(new CellValue(day.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture))) { CellReference = reference, StyleIndex = 2 });
                            break;
                    }
                }

                data.Append(row);
            }

            part.Worksheet.Save();
        }

        return stream.ToArray();
    }
}
