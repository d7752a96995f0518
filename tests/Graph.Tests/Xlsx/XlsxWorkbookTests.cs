using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Engagement.Graph.Xlsx;

namespace Engagement.Graph.Tests.Xlsx;

/// <summary>A worksheet read as people laid it out: merged ranges resolved, hidden tabs known, limits kept.</summary>
public sealed class XlsxWorkbookTests
{
    [Fact]
    public void MergedRange_ShowsItsFirstCellOverEveryCellItCovers()
    {
        var bytes = Workbook(("Plan", false, ["A1:C1", "A3:A5", "A7:A1048576"], [
            (1, ["Plan d'action 2026"]),
            (2, ["Objectif", "Action"]),
            (3, ["1. Isolement", "Répertoire"]),
            (4, [null, "Cafés"]),
            (5, [null, "Sentinelles"]),
            (7, ["2. Participation", "Forum"]),
            (8, [null, "Bulletin"]),
        ]));

        using var workbook = XlsxWorkbook.Open(new MemoryStream(bytes));
        var grid = workbook.Read(workbook.Sheets[0], new XlsxLimits());

        Assert.Equal("Plan d'action 2026", grid[1, 3]?.Value);
        Assert.Equal(["1. Isolement", "1. Isolement", "1. Isolement"], new[] { 3, 4, 5 }.Select(r => grid[r, 1]?.Value));
        Assert.Equal((false, true, true), (grid.IsMergeContinuation(3, 1), grid.IsMergeContinuation(4, 1), grid.IsMergeContinuation(1, 2)));
        Assert.Equal("2. Participation", grid[8, 1]?.Value); // a range down the whole column stops at the last row with values
        Assert.Null(grid[9, 1]);
        Assert.Equal([1, 2, 3, 4, 5, 7, 8], grid.RowNumbers);
        Assert.Equal(3, grid.LastColumn);
    }

    [Fact]
    public void Sheets_AreListedInOrder_WithTheHiddenOnesMarked()
    {
        var bytes = Workbook(("Lisez-moi", false, [], [(1, ["Bonjour"])]), ("Listes", true, [], [(1, ["cdc"])]), ("Plan", false, [], [(1, ["Action"])]));

        using var workbook = XlsxWorkbook.Open(new MemoryStream(bytes));

        Assert.Equal([("Lisez-moi", false, 0), ("Listes", true, 1), ("Plan", false, 2)], workbook.Sheets.Select(s => (s.Name, s.Hidden, s.Index)));
        Assert.Equal("Action", workbook.Read(workbook.Sheets[2], new XlsxLimits())[1, 1]?.Value);
    }

    [Fact]
    public void Limits_StopTheReading()
    {
        var bytes = Workbook(("Plan", false, [], [.. Enumerable.Range(1, 30).Select(r => (r, new[] { $"ligne {r}" }))]));
        using var workbook = XlsxWorkbook.Open(new MemoryStream(bytes));

        var rows = Assert.Throws<XlsxException>(() => workbook.Read(workbook.Sheets[0], new XlsxLimits { MaxRows = 29 }));
        var cells = Assert.Throws<XlsxException>(() => workbook.Read(workbook.Sheets[0], new XlsxLimits { MaxCells = 40 }));

        Assert.Equal(XlsxProblem.TooManyRows, rows.Problem);
        Assert.Equal(XlsxProblem.TooLarge, cells.Problem);
        Assert.Equal(30, workbook.Read(workbook.Sheets[0], new XlsxLimits { MaxRows = 30 }).RowNumbers.Count);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x00 })]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 })]
    public void BytesThatAreNotAWorkbook_AreAnXlsxException(byte[] bytes)
    {
        var error = Assert.Throws<XlsxException>(() => XlsxWorkbook.Open(new MemoryStream(bytes)).Dispose());
        Assert.Equal(XlsxProblem.NotAWorkbook, error.Problem);
    }

    [Fact]
    public void Cells_SayWhatTheyHold()
    {
        Assert.Equal("2026-03-31", new XlsxCell("46112", XlsxCellKind.Number, IsDate: true).Text);
        Assert.Equal("1.2", new XlsxCell("1.2", XlsxCellKind.Number, IsDate: false).Text);
        Assert.Equal("TRUE", new XlsxCell("1", XlsxCellKind.Boolean, IsDate: false).Text);
        Assert.True(XlsxCell.TryDayOfSerial(46112.5, out var day) && day == new DateOnly(2026, 3, 31));
        Assert.False(XlsxCell.TryDayOfSerial(0, out _));
        Assert.Equal("AB", XlsxGrid.ColumnName(28));
    }

    private static byte[] Workbook(params (string Name, bool Hidden, string[] Merges, (int Row, string?[] Cells)[] Rows)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook(new Sheets());
            foreach (var (name, hidden, merges, rows) in sheets)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>();
                var data = new SheetData(rows.Select(r => new Row(r.Cells.Select((text, c) => text is null ? null : new Cell(new InlineString(new Text(text)))
                {
                    CellReference = XlsxGrid.ColumnName(c + 1) + r.Row.ToString(CultureInfo.InvariantCulture),
                    DataType = CellValues.InlineString,
                }).Where(c => c is not null)!) { RowIndex = (uint)r.Row }));
                part.Worksheet = new Worksheet(data);
                if (merges.Length > 0)
                {
                    part.Worksheet.Append(new MergeCells(merges.Select(m => new MergeCell { Reference = m })));
                }

                var tabs = workbookPart.Workbook.Sheets!;
                tabs.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = (uint)tabs.ChildElements.Count + 1, Name = name, State = hidden ? SheetStateValues.Hidden : null });
            }
        }

        return stream.ToArray();
    }
}
