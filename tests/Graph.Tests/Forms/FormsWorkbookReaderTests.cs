using System.Diagnostics;
using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Engagement.Graph.Forms;
using Xunit.Abstractions;

namespace Engagement.Graph.Tests.Forms;

public class FormsWorkbookReaderTests(ITestOutputHelper output)
{
    private const string Satisfaction = "How satisfied are you with the partnership?";
    private const string Topics = "Which topics should we cover next?";

    // 2026-03-14 15:20:00 and 15:23:30.
    private const double Started = 46095.638888888891;
    private const double Completed = 46095.6413194444;

    private static readonly XCell[] Headers = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", Satisfaction, Topics];

    private static IReadOnlyList<FormsWorkbookRow> Read(XlsxBuilder builder, long afterId = 0)
    {
        using var stream = builder.BuildStream();
        return FormsWorkbookReader.Read(stream, afterId);
    }

    private static XlsxBuilder FormsWorkbook(params XCell?[][] rows) =>
        new XlsxBuilder().Sheet("Form1", sheet =>
        {
            sheet.Row(Headers);
            foreach (var row in rows)
            {
                sheet.Row(row);
            }

            sheet.AsTable();
        });

    private static XCell?[] Response(long id, string? email = "ana@contoso.com", string? name = "Ana Silva", XCell? satisfaction = null, XCell? topics = null) =>
        [id, XCell.Date(Started), XCell.Date(Completed), email, name, XCell.Date(Completed), satisfaction ?? "Very satisfied", topics ?? "Pricing;Roadmap;"];

    [Fact]
    public void Read_FormsTable_MapsMetadataAndQuestionColumns()
    {
        var row = Assert.Single(Read(FormsWorkbook(Response(1))));

        Assert.Equal(1, row.Id);
        Assert.Equal(new DateTime(2026, 3, 14, 15, 20, 0), row.StartTime);
        Assert.Equal(new DateTime(2026, 3, 14, 15, 23, 30), row.CompletionTime);
        Assert.Equal("ana@contoso.com", row.Email);
        Assert.Equal("Ana Silva", row.Name);
        Assert.Equal([Satisfaction, Topics], row.Answers.Keys);
        Assert.Equal(["Very satisfied"], row.Answers[Satisfaction]);
    }

    [Fact]
    public void Read_LastModifiedTimeColumn_IsNotAQuestion()
    {
        var row = Assert.Single(Read(FormsWorkbook(Response(1))));

        Assert.DoesNotContain("Last modified time", row.Answers.Keys);
    }

    [Fact]
    public void Read_QuestionLookup_IgnoresCase()
    {
        var row = Assert.Single(Read(FormsWorkbook(Response(1))));

        Assert.Equal(["Very satisfied"], row.Answers[Satisfaction.ToUpperInvariant()]);
    }

    [Fact]
    public void Read_HeadersWithOtherCaseAndSpaces_AreRecognised()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row(" id ", "START TIME", "completion time  ", "EMAIL", "name", "  Q1 ")
            .Row(4, XCell.Date(Started), XCell.Date(Completed), "bo@contoso.com", "Bo", "Yes"));

        var row = Assert.Single(Read(builder));

        Assert.Equal(4, row.Id);
        Assert.Equal("bo@contoso.com", row.Email);
        Assert.Equal(["Yes"], row.Answers["Q1"]);
    }

    [Fact]
    public void Read_AfterId_ReturnsOnlyLaterRowsOrderedById()
    {
        var rows = Read(FormsWorkbook(Response(3), Response(1), Response(5), Response(2), Response(4)), afterId: 2);

        Assert.Equal(new long[] { 3, 4, 5 }, rows.Select(r => r.Id));
    }

    [Fact]
    public void Read_AfterIdBeyondLastRow_ReturnsNothing()
    {
        Assert.Empty(Read(FormsWorkbook(Response(1), Response(2)), afterId: 2));
    }

    [Fact]
    public void Read_MultiChoiceCell_SplitsIntoOneAnswerPerChoice()
    {
        var row = Assert.Single(Read(FormsWorkbook(Response(1, topics: "Option A;Option B; Option C ;"))));

        Assert.Equal(["Option A", "Option B", "Option C"], row.Answers[Topics]);
    }

    [Fact]
    public void Read_TextWithSemicolonNotAtTheEnd_StaysOneAnswer()
    {
        var row = Assert.Single(Read(FormsWorkbook(Response(1, satisfaction: "Good; could be faster"))));

        Assert.Equal(["Good; could be faster"], row.Answers[Satisfaction]);
    }

    [Fact]
    public void Read_BlankAndMissingCells_AreLeftOutOfAnswers()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row("ID", "Start time", "Completion time", "Email", "Name", "Q1", "Q2", "Q3", "Q4", "Q5")
            // Q1 absent from the XML (a gap F → H), Q3 an empty inline string, Q4 a formatted blank, Q5 spaces only.
            .Row(1, XCell.Date(Started), XCell.Date(Completed), "ana@contoso.com", "Ana", null, "yes", XCell.Inline(""), XCell.Blank, "   ")
            // The row ends early: Q3..Q5 absent.
            .Row(2, XCell.Date(Started), XCell.Date(Completed), "bo@contoso.com", "Bo", "only Q1")
            .AsTable());

        var rows = Read(builder);

        Assert.Equal(["Q2"], rows[0].Answers.Keys);
        Assert.Equal(["yes"], rows[0].Answers["Q2"]);
        Assert.Equal(["Q1"], rows[1].Answers.Keys);
    }

    [Fact]
    public void Read_MultiChoiceWithOnlySemicolons_IsLeftOut()
    {
        var row = Assert.Single(Read(FormsWorkbook(Response(1, topics: ";"))));

        Assert.DoesNotContain(Topics, row.Answers.Keys);
    }

    [Fact]
    public void Read_FormWithoutEmailAndNameColumns_HasNullEmailAndName()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row("ID", "Start time", "Completion time", Satisfaction)
            .Row(1, XCell.Date(Started), XCell.Date(Completed), "Satisfied")
            .AsTable());

        var row = Assert.Single(Read(builder));

        Assert.Null(row.Email);
        Assert.Null(row.Name);
        Assert.Equal(["Satisfied"], row.Answers[Satisfaction]);
    }

    [Fact]
    public void Read_AnonymousResponse_HasNullEmailAndName()
    {
        var rows = Read(FormsWorkbook(Response(1, email: "anonymous", name: null), Response(2, email: null, name: null)));

        Assert.All(rows, row => Assert.Null(row.Email));
        Assert.All(rows, row => Assert.Null(row.Name));
    }

    [Fact]
    public void Read_FrenchHeaders_AreRecognised()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row("ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom", "Heure de la dernière modification", "Êtes-vous satisfait ?")
            .Row(7, XCell.Date(Started), XCell.Date(Completed), "chloe@contoso.fr", "Chloé Martin", XCell.Date(Completed), "Oui")
            .AsTable("Tableau1"));

        var row = Assert.Single(Read(builder));

        Assert.Equal(7, row.Id);
        Assert.Equal(new DateTime(2026, 3, 14, 15, 20, 0), row.StartTime);
        Assert.Equal(new DateTime(2026, 3, 14, 15, 23, 30), row.CompletionTime);
        Assert.Equal("chloe@contoso.fr", row.Email);
        Assert.Equal("Chloé Martin", row.Name);
        Assert.Equal(["Êtes-vous satisfait ?"], row.Answers.Keys);
    }

    [Fact]
    public void Read_FrenchHeaderInDecomposedUnicode_IsRecognised()
    {
        var decomposed = "Heure de de\u0301but"; // e + combining acute, as some exports write it
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row("ID", decomposed, "Heure de fin")
            .Row(1, XCell.Date(Started), XCell.Date(Completed)));

        var row = Assert.Single(Read(builder));

        Assert.Equal(new DateTime(2026, 3, 14, 15, 20, 0), row.StartTime);
        Assert.Empty(row.Answers);
    }

    [Fact]
    public void Read_FormsTableOnSecondSheet_IsFoundPastTheFirstSheet()
    {
        var builder = new XlsxBuilder()
            .Sheet("Notes", sheet => sheet
                .Row("Owner", "Comment")
                .Row("Ana", "Exported for the Q1 review")
                .AsTable("Notes"))
            .Sheet("Form1", sheet =>
            {
                sheet.Row(Headers).Row(Response(1)).Row(Response(2)).AsTable("Table1");
            });

        Assert.Equal(new long[] { 1, 2 }, Read(builder).Select(r => r.Id));
    }

    [Fact]
    public void Read_NoTable_ReadsFirstWorksheetFromItsFirstNonEmptyRow()
    {
        var builder = new XlsxBuilder()
            .Sheet("Responses", sheet => sheet
                .RowAt(3, null, null)
                .RowAt(4, "ID", "Start time", "Completion time", "Q1")
                .RowAt(5, 1, XCell.Date(Started), XCell.Date(Completed), "first sheet"))
            .Sheet("Other", sheet => sheet
                .Row("ID", "Start time", "Completion time", "Q1")
                .Row(1, XCell.Date(Started), XCell.Date(Completed), "second sheet"));

        var row = Assert.Single(Read(builder));

        Assert.Equal(["first sheet"], row.Answers["Q1"]);
    }

    [Fact]
    public void Read_TableBelowATitleRow_UsesTheTableHeaderRow()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet =>
        {
            sheet.Row("Partner survey, spring 2026").Row(Headers).Row(Response(1)).Row(Response(2)).AsTable(headerRow: 2);
        });

        Assert.Equal(new long[] { 1, 2 }, Read(builder).Select(r => r.Id));
    }

    [Fact]
    public void Read_CellsRightOfTheTable_AreIgnored()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row("ID", "Start time", "Completion time", "Q1", null, "Reviewer notes")
            .Row(1, XCell.Date(Started), XCell.Date(Completed), "yes", null, "call back")
            .AsTable(columns: 4));

        Assert.Equal(["Q1"], Assert.Single(Read(builder)).Answers.Keys);
    }

    [Fact]
    public void Read_AnswerLists_AreReadOnly()
    {
        var rows = Read(FormsWorkbook(Response(1), Response(2)));

        var topics = Assert.IsAssignableFrom<IList<string>>(rows[0].Answers[Topics]);
        Assert.True(topics.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => topics[0] = "changed");
        Assert.Equal(["Pricing", "Roadmap"], rows[1].Answers[Topics]);
    }

    [Fact]
    public void Read_TotalsRow_IsNotAResponse()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet =>
        {
            sheet.Row(Headers).Row(Response(1)).Row(Response(2)).Row("Total", null, null, null, null, null, 2).AsTable(totalsRow: true);
        });

        Assert.Equal(new long[] { 1, 2 }, Read(builder).Select(r => r.Id));
    }

    [Fact]
    public void Read_FullyEmptyRows_AreSkipped()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row(Headers)
            .Row(Response(1))
            .Row()
            .Row(XCell.Blank, XCell.Blank, XCell.Inline(" "))
            .Row(Response(2))
            .AsTable());

        Assert.Equal(new long[] { 1, 2 }, Read(builder).Select(r => r.Id));
    }

    [Fact]
    public void Read_CellsAndRowsWithoutReferences_AreReadByPosition()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet =>
        {
            sheet.Row(Headers).Row(Response(1)).Row(Response(2)).WithoutReferences();
        });

        var rows = Read(builder);

        Assert.Equal(new long[] { 1, 2 }, rows.Select(r => r.Id));
        Assert.Equal("Ana Silva", rows[1].Name);
        Assert.Equal(["Pricing", "Roadmap"], rows[1].Answers[Topics]);
    }

    [Fact]
    public void Read_InlineStringsNumbersBooleansAndDates_BecomeAnswerText()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row("ID", "Start time", "Completion time", "Comment", "Rating", "Score", "Agree", "Visit date", "Follow-up", "Check")
            .Row(1, XCell.Date(Started), XCell.Date(Completed), XCell.Inline("  Great session  "), 5, 3.25, XCell.Bool(true),
                XCell.CustomDate(46100), XCell.Date(46100.5), XCell.Error("#N/A")));

        var answers = Assert.Single(Read(builder)).Answers;

        Assert.Equal(["Great session"], answers["Comment"]);
        Assert.Equal(["5"], answers["Rating"]);
        Assert.Equal(["3.25"], answers["Score"]);
        Assert.Equal(["TRUE"], answers["Agree"]);
        Assert.Equal(["2026-03-19"], answers["Visit date"]);
        Assert.Equal(["2026-03-19T12:00:00"], answers["Follow-up"]);
        Assert.Equal(["#N/A"], answers["Check"]);
    }

    [Fact]
    public void Read_EscapedCarriageReturn_IsDecoded()
    {
        var row = Assert.Single(Read(FormsWorkbook(Response(1, satisfaction: "Line one_x000D_\nLine two"))));

        Assert.Equal(["Line one\r\nLine two"], row.Answers[Satisfaction]);
    }

    [Theory]
    [InlineData("2026-03-14T15:23:34")]
    [InlineData("2026-03-14 15:23:34")]
    [InlineData("2026-03-14T15:23:34.000")]
    [InlineData("3/14/2026 15:23:34")]
    [InlineData("3/14/2026 3:23:34 PM")]
    [InlineData("14/03/2026 15:23:34")]
    [InlineData("2026-03-14T15:23:34Z")]
    [InlineData("46095.641365740741")]
    public void Read_DateTypedAsText_IsParsed(string text)
    {
        var builder = FormsWorkbook([1, text, XCell.Inline(text), "ana@contoso.com", "Ana"]);

        var row = Assert.Single(Read(builder));

        Assert.Equal(new DateTime(2026, 3, 14, 15, 23, 34), row.StartTime);
        Assert.Equal(new DateTime(2026, 3, 14, 15, 23, 34), row.CompletionTime);
    }

    [Fact]
    public void Read_UnparseableDate_ThrowsNamingRowAndColumn()
    {
        var builder = FormsWorkbook(Response(1), [2, XCell.Date(Started), "yesterday", "ana@contoso.com"]);

        var error = Assert.Throws<FormsWorkbookException>(() => Read(builder));

        Assert.Equal("row 3, column Completion time: 'yesterday' is not a date", error.Message);
    }

    [Fact]
    public void Read_NoIdColumn_ThrowsNamingTheMissingColumn()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row("Response", "Start time", "Completion time", "Q1")
            .Row(1, XCell.Date(Started), XCell.Date(Completed), "yes"));

        var error = Assert.Throws<FormsWorkbookException>(() => Read(builder));

        Assert.Contains("no ID column", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Response'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyWorksheet_ThrowsNoIdColumn()
    {
        var error = Assert.Throws<FormsWorkbookException>(() => Read(new XlsxBuilder().Sheet("Sheet1", _ => { })));

        Assert.Contains("ID column", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc", "'abc' is not a whole number")]
    [InlineData("7.5", "'7.5' is not a whole number")]
    [InlineData("", "the cell is empty")]
    public void Read_BadIdCell_ThrowsNamingRowAndColumn(string id, string problem)
    {
        var rows = Enumerable.Range(1, 6).Select(i => Response(i)).ToArray();
        rows[^1][0] = id.Length == 0 ? null : id; // row 7 of the sheet, after the header and five good rows

        var error = Assert.Throws<FormsWorkbookException>(() => Read(FormsWorkbook(rows)));

        Assert.Equal($"row 7, column ID: {problem}", error.Message);
        Assert.Equal(7, error.Row);
        Assert.Equal("ID", error.Column);
    }

    [Fact]
    public void Read_FractionalNumericId_Throws()
    {
        var error = Assert.Throws<FormsWorkbookException>(() => Read(FormsWorkbook(Response(1), [2.5, XCell.Date(Started), XCell.Date(Completed)])));

        Assert.Equal("row 3, column ID: '2.5' is not a whole number", error.Message);
    }

    [Fact]
    public void Read_IdTypedAsText_IsAccepted()
    {
        var row = Assert.Single(Read(FormsWorkbook([" 12 ", XCell.Date(Started), XCell.Date(Completed)])));

        Assert.Equal(12, row.Id);
    }

    [Fact]
    public void Read_DuplicateQuestionHeader_Throws()
    {
        var builder = new XlsxBuilder().Sheet("Form1", sheet => sheet
            .Row("ID", "Start time", "Completion time", "Q1", "q1")
            .Row(1, XCell.Date(Started), XCell.Date(Completed), "a", "b"));

        var error = Assert.Throws<FormsWorkbookException>(() => Read(builder));

        Assert.Contains("columns D ('Q1') and E ('q1')", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> CorruptFiles => ["random bytes", "empty", "truncated xlsx", "zip without a workbook", "word document"];

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void Read_NotAnXlsx_ThrowsFormsWorkbookException(string kind)
    {
        var bytes = kind switch
        {
            "random bytes" => RandomBytes(4096),
            "empty" => [],
            "truncated xlsx" => FormsWorkbook(Response(1)).Build()[..1000],
            "zip without a workbook" => Zip("hello.txt", "not a spreadsheet"),
            "word document" => WordDocument(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var error = Assert.Throws<FormsWorkbookException>(() => FormsWorkbookReader.Read(new MemoryStream(bytes)));

        output.WriteLine($"{kind}: {error.Message}");
        Assert.StartsWith("The file is not", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NonSeekableStream_IsRead()
    {
        using var stream = new ForwardOnlyStream(FormsWorkbook(Response(1), Response(2)).Build());

        Assert.Equal(new long[] { 1, 2 }, FormsWorkbookReader.Read(stream).Select(r => r.Id));
    }

    [Fact]
    public void Read_CallersStream_IsLeftOpen()
    {
        using var stream = FormsWorkbook(Response(1)).BuildStream();

        FormsWorkbookReader.Read(stream);

        Assert.True(stream.CanRead);
    }

    [Fact]
    public void Read_FiftyThousandRowsOfTwentyQuestions_ReadsEveryRow()
    {
        const int rowCount = 50_000;
        string[] questions = [.. Enumerable.Range(1, 20).Select(q => $"Question {q}: how would you rate aspect {q}?")];
        string[] choices = ["Very satisfied", "Satisfied", "Neutral", "Dissatisfied", "Very dissatisfied"];
        var build = Stopwatch.StartNew();
        var bytes = new XlsxBuilder().Sheet("Form1", sheet =>
        {
            sheet.Row([.. Headers.Take(6), .. questions.Select(q => (XCell)q)]);
            for (var i = 1; i <= rowCount; i++)
            {
                var row = new XCell?[26];
                row[0] = i;
                row[1] = XCell.Date(Started + (i / 1440d));
                row[2] = XCell.Date(Completed + (i / 1440d));
                row[3] = $"person{i}@contoso.com";
                row[4] = $"Person {i}";
                row[5] = XCell.Date(Completed + (i / 1440d));
                for (var q = 0; q < 20; q++)
                {
                    row[6 + q] = q % 5 == 4 ? $"{choices[i % 5]};{choices[(i + q) % 5]};" : choices[(i + q) % 5];
                }

                sheet.Row(row);
            }

            sheet.AsTable();
        }).Build();
        build.Stop();

        var read = Stopwatch.StartNew();
        var rows = FormsWorkbookReader.Read(new MemoryStream(bytes));
        read.Stop();

        output.WriteLine($"built {bytes.Length / 1024} KiB in {build.ElapsedMilliseconds} ms; read {rows.Count} rows x {questions.Length} questions in {read.ElapsedMilliseconds} ms");
        Assert.Equal(rowCount, rows.Count);
        Assert.Equal(rowCount, rows[^1].Id);
        Assert.Equal(20, rows[^1].Answers.Count);
        Assert.Equal($"person{rowCount}@contoso.com", rows[^1].Email);
        Assert.Equal(2, rows[0].Answers[questions[4]].Count);
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Zip(string name, string content)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(content);
        }

        return stream.ToArray();
    }

    private static byte[] WordDocument()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            document.AddMainDocumentPart().Document = new Document(new Body(new Paragraph(new Run(new Text("Hello")))));
        }

        return stream.ToArray();
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
