using System.IO.Compression;
using System.Net;
using Engagement.Functions.ActionPlans;
using Microsoft.Extensions.DependencyInjection;
using static Engagement.Functions.Tests.ActionPlans.PlanScenario;

namespace Engagement.Functions.Tests.ActionPlans;

/// <summary>
/// A tracker with mistakes is refused whole: every problem listed with the row and column Excel shows, in the
/// partnership's language, and nothing written. Files that are not trackers are refused without a 500.
/// </summary>
public sealed class TrackerErrorTests
{
    [Fact]
    public async Task EachKindOfBadCell_IsListedWithItsRowAndColumn_AndNothingIsWritten()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        var tracker = MadaTracker(sheet => sheet
            .Set(5, 4, null)                                   // no lead
            .Set(6, 7, "31 juin")                              // no such day, no year
            .Set(7, 6, new XDate(new DateOnly(2026, 6, 1)))    // starts after its due day (« mars 2026 »)
            .Set(9, 4, "Centre des loisirs")                   // not a partner of the committee
            .Set(10, 1, "2.1")                                 // the number of the row above
            .Set(10, 10, "Bientôt")                            // no such status
            .Row(12, null, null, null, "cdc", null, null, "2026-12-31"));   // an action without its title

        using var response = await ImportAsync(coordinator, "p1", tracker);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "D5", "G6", "G7", "D9", "A10", "J10", "C12");
        Assert.Equal("Le fichier n’a pas été importé : 7 erreurs. Rien n’a été enregistré.", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        string Error(string cell) => errors.GetProperty(cell)[0].GetString()!;
        Assert.Equal("ligne 5, colonne « Porteur » : aucun porteur : chaque action a un organisme porteur", Error("D5"));
        Assert.Equal("ligne 6, colonne « Fin » : date illisible « 31 juin » (écrivez par exemple 2026-03-31, 31/03/2026 ou mars 2026)", Error("G6"));
        Assert.Equal("ligne 7, colonne « Fin » : l’échéance (2026-03-31) précède le début (2026-06-01)", Error("G7"));
        Assert.StartsWith("ligne 9, colonne « Porteur » : organisme inconnu « Centre des loisirs » ; organismes du partenariat : Bibliothèque Frontenac, CDC Centre-Sud, ", Error("D9"), StringComparison.Ordinal);
        Assert.Equal("ligne 10, colonne « No » : même numéro d’action qu’à la ligne 9", Error("A10"));
        Assert.Equal("ligne 10, colonne « État » : statut inconnu « Bientôt » ; statuts possibles : À venir, En cours, En retard, Terminée, Abandonnée", Error("J10"));
        Assert.StartsWith("ligne 12, colonne « Actions » : la ligne n’a pas d’action", Error("C12"), StringComparison.Ordinal);
        Assert.Equal(["D5", "G6", "G7", "D9", "A10", "J10", "C12"], errors.EnumerateObject().Select(e => e.Name)); // in the sheet's order

        var plan = await PlanAsync(coordinator);
        Assert.Empty(plan.GetProperty("objectives").EnumerateArray());
    }

    [Fact]
    public async Task EnglishPartnership_IsToldInEnglish()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app, language: "en");

        using var response = await ImportAsync(app.ClientWithKey(EngagementApp.Keys.Coordinator), "p1", MadaTracker(sheet => sheet.Set(6, 7, "31 juin")));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "G6");
        Assert.Equal("The file was not imported: 1 error. Nothing was stored.", problem.GetProperty("title").GetString());
        Assert.Equal("row 6, column “Fin”: unreadable date “31 juin” (write e.g. 2026-03-31, 31/03/2026 or March 2026)", problem.GetProperty("errors").GetProperty("G6")[0].GetString());
    }

    [Fact]
    public async Task SheetWithoutTheNeededColumns_SaysWhichAreMissing()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var tracker = new TrackerWorkbook().Sheet("Feuil1", s => s.Row(1, "Action", "Échéance", "Budget").Row(2, "Forum", "2026-12-31", "500 $")).Build();

        using var response = await ImportAsync(app.ClientWithKey(EngagementApp.Keys.Coordinator), "p1", tracker);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "file");
        Assert.Equal("ligne d’en-tête 1 de la feuille « Feuil1 » : colonne introuvable : « Objectif », « Porteur » (en-têtes lus : « Action », « Échéance », « Budget »)", problem.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    public static TheoryData<string, byte[]> NotTrackers() => new()
    {
        { "random bytes", [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 251))] },
        { "a CSV", "Objectif;Action;Porteur\n1;Forum;cdc\n"u8.ToArray() },
        { "an Excel 97-2003 file", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[1024]] },
        { "half a workbook", MadaTracker()[..2000] },
        { "a zip of something else", Zip(("readme.txt", "hello"u8.ToArray())) },
        { "a workbook whose sheet is not XML", Zip(("[Content_Types].xml", """<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""u8.ToArray()),
            ("_rels/.rels", """<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""u8.ToArray()),
            ("xl/workbook.xml", """<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Plan" sheetId="1" r:id="r1"/></sheets></workbook>"""u8.ToArray()),
            ("xl/_rels/workbook.xml.rels", """<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""u8.ToArray()),
            ("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Objectif</t></is></c>"u8.ToArray())) },
        { "an empty body", [] },
    };

    [Theory]
    [MemberData(nameof(NotTrackers))]
    public async Task FileThatIsNotATracker_Is400_NotA500(string what, byte[] bytes)
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);

        using var response = await ImportAsync(app.ClientWithKey(EngagementApp.Keys.Coordinator), "p1", bytes);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "file");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("errors").GetProperty("file")[0].GetString()), what);
    }

    [Fact]
    public async Task DamagedCopiesOfATracker_NeverEscapeAsAFailure()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var original = MadaTracker();
        var random = new Random(18);
        var outcomes = new Dictionary<string, int>();

        await using var scope = app.Services.CreateAsyncScope();
        var import = scope.ServiceProvider.GetRequiredService<TrackerImport>();
        for (var i = 0; i < 300; i++)
        {
            var damaged = (byte[])original.Clone();
            for (var flips = 1 + random.Next(4); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            var result = await import.ImportAsync("p1", i % 10 == 0 ? damaged[..random.Next(damaged.Length)] : damaged);
            var outcome = result.Succeeded ? "imported" : result.Problems[0].Field;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.Equal(300, outcomes.Values.Sum());
        Assert.True(outcomes.GetValueOrDefault("file") > 0, string.Join(", ", outcomes));
    }

    [Fact]
    public async Task FileOverFiveMegabytes_Is413()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);

        using var response = await ImportAsync(app.ClientWithKey(EngagementApp.Keys.Coordinator), "p1", new byte[(5 * 1024 * 1024) + 1]);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Equal("le fichier fait plus de 5 Mo ; retirez-en les images ou les onglets inutiles", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TrackerOverTwoThousandRows_IsRefused()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var tracker = new TrackerWorkbook().Sheet("Plan", s =>
        {
            s.Row(1, "Objectif", "Action", "Porteur");
            for (var row = 2; row <= 2_002; row++)
            {
                s.Row(row, "1. Tout faire", $"Action {row}", "cdc");
            }
        }).Build();

        using var response = await ImportAsync(app.ClientWithKey(EngagementApp.Keys.Coordinator), "p1", tracker);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "file");
        Assert.Equal("la feuille « Plan » compte plus de 2000 lignes ; importez le plan en plusieurs fichiers", problem.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    [Fact]
    public async Task FileWrongOnEveryRow_ListsTheFirst200Problems_AndCountsTheRest()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var tracker = new TrackerWorkbook().Sheet("Plan", s =>
        {
            s.Row(1, "Objectif", "Action", "Porteur");
            for (var row = 2; row <= 301; row++)
            {
                s.Row(row, "1. Tout faire", $"Action {row}", "Organisme inconnu");
            }
        }).Build();

        using var response = await ImportAsync(app.ClientWithKey(EngagementApp.Keys.Coordinator), "p1", tracker);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "C2", "C201", "file");
        Assert.Equal("Le fichier n’a pas été importé : 300 erreurs. Rien n’a été enregistré.", problem.GetProperty("title").GetString());
        Assert.Equal(201, problem.GetProperty("errors").EnumerateObject().Count());
        Assert.StartsWith("et 100 autres erreurs", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongContentType_Is415_AndUnknownPartnership_Is404()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);

        using var json = await ImportAsync(coordinator, "p1", "{}"u8.ToArray(), "application/json");
        using var unknown = await ImportAsync(coordinator, "nowhere", MadaTracker());

        await Problem.AssertAsync(json, HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await Problem.AssertAsync(unknown, HttpStatusCode.NotFound, "partnershipId");
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(content);
            }
        }

        return stream.ToArray();
    }
}
