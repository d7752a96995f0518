using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Engagement.Core.Domain;
using Engagement.Core.Validation;
using Engagement.Graph.Xlsx;

namespace Engagement.Functions.ActionPlans;

/// <summary>
/// The tracker's template: the plan's sheet (a title row, the header, a drop-down of the partnership's organisations
/// on the lead column and of the statuses on the status column), a sheet explaining each column and the statuses, and
/// the partnership's organisations. What it writes, the import reads back.
/// </summary>
internal static class TrackerTemplate
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Rows of the plan's sheet that offer the drop-downs.</summary>
    private const int FormattedRows = 500;

    private const uint Plain = 0, HeaderStyle = 1, DateStyle = 2, TitleStyle = 3, WrapStyle = 4;

    private static readonly (TrackerColumn Column, double Width)[] Layout =
    [
        (TrackerColumn.Number, 7), (TrackerColumn.Objective, 30), (TrackerColumn.Action, 40), (TrackerColumn.Lead, 24), (TrackerColumn.Partners, 28),
        (TrackerColumn.Start, 12), (TrackerColumn.Due, 12), (TrackerColumn.Deliverables, 30), (TrackerColumn.Resources, 24), (TrackerColumn.Status, 14),
        (TrackerColumn.Comments, 30), (TrackerColumn.Obstacles, 24), (TrackerColumn.HelpNeeded, 24),
    ];

    /// <summary>The row of the plan's sheet that holds the header.</summary>
    public const int HeaderRow = 2;

    /// <summary>The template's file name: <c>plan-d-action-{partnership}.xlsx</c> or <c>action-plan-{partnership}.xlsx</c>.</summary>
    public static string FileName(Partnership partnership, PartnershipLanguage language) =>
        (language == PartnershipLanguage.English ? "action-plan-" : "plan-d-action-") + partnership.Id + ".xlsx";

    public static byte[] Build(Partnership partnership, IReadOnlyList<Organization> organizations, PartnershipLanguage language)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        ArgumentNullException.ThrowIfNull(organizations);
        string Say(string key, params object[] args) => TrackerTexts.Say(language, key, args);
        var planName = Say("Template.PlanSheet");
        var organizationsName = Say("Template.OrganizationsSheet");
        var sorted = organizations.OrderBy(o => o.Name, StringComparer.Create(TrackerTexts.Culture(language), ignoreCase: true)).ToList();

        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheets = workbook.Workbook.AppendChild(new Sheets());

            AddSheet(workbook, sheets, planName, PlanSheet(partnership, language, organizationsName, sorted.Count));
            AddSheet(workbook, sheets, Say("Template.HelpSheet"), HelpSheet(language, planName, organizationsName));
            AddSheet(workbook, sheets, organizationsName, OrganizationsSheet(language, sorted));
        }

        return stream.ToArray();
    }

    private static Worksheet PlanSheet(Partnership partnership, PartnershipLanguage language, string organizationsName, int organizationCount)
    {
        var last = XlsxGrid.ColumnName(Layout.Length);
        var data = new SheetData(
            new Row(Cell("A1", TrackerTexts.Say(language, "Template.Title", partnership.Name), TitleStyle)) { RowIndex = 1 },
            new Row(Layout.Select((c, i) => Cell(Reference(i + 1, HeaderRow), TrackerTexts.Header(language, c.Column), HeaderStyle))) { RowIndex = HeaderRow });

        var worksheet = new Worksheet(
            new SheetViews(new SheetView(new Pane { VerticalSplit = HeaderRow, TopLeftCell = "A" + (HeaderRow + 1).ToString(CultureInfo.InvariantCulture), ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen }) { WorkbookViewId = 0 }),
            ColumnWidths(Layout.Select(c => c.Width), Layout.Select(c => c.Column is TrackerColumn.Start or TrackerColumn.Due ? DateStyle : WrapStyle)),
            data,
            new MergeCells(new MergeCell { Reference = $"A1:{last}1" }) { Count = 1 });

        var first = HeaderRow + 1;
        var lastRow = HeaderRow + FormattedRows;
        var validations = new DataValidations();
        var status = Column(TrackerColumn.Status);
        validations.Append(List(
            $"{status}{first}:{status}{lastRow}",
            "\"" + string.Join(",", Enum.GetValues<ActionStatus>().Select(s => TrackerTexts.Status(language, s))) + "\"",
            strict: true));
        if (organizationCount > 0)
        {
            // Not strict: an organisation's id is accepted too, and the import says which name it does not know.
            var lead = Column(TrackerColumn.Lead);
            validations.Append(List($"{lead}{first}:{lead}{lastRow}", $"'{organizationsName.Replace("'", "''", StringComparison.Ordinal)}'!$A$2:$A${organizationCount + 1}", strict: false));
        }

        validations.Count = (uint)validations.ChildElements.Count;
        worksheet.Append(validations);
        return worksheet;
    }

    private static Worksheet HelpSheet(PartnershipLanguage language, string planName, string organizationsName)
    {
        string Say(string key, params object[] args) => TrackerTexts.Say(language, key, args);
        var rows = new List<Row>
        {
            new(Cell("A1", Say("Template.Intro", planName), WrapStyle)) { RowIndex = 1 },
            new(Cell("A3", Say("Template.ColumnHeader"), HeaderStyle), Cell("B3", Say("Template.MeaningHeader"), HeaderStyle), Cell("C3", Say("Template.Synonyms"), HeaderStyle)) { RowIndex = 3 },
        };
        var row = 4u;
        foreach (var (column, _) in Layout)
        {
            var help = column switch
            {
                TrackerColumn.Action => Say("Help.Action", Check.MaxTextLength),
                TrackerColumn.Lead => Say("Help.Lead", organizationsName),
                _ => Say("Help." + column),
            };
            var header = TrackerTexts.Header(language, column);
            var synonyms = string.Join(", ", TrackerColumns.SynonymsOf(column).Where(s => s != TrackerColumns.Normalize(header)).Take(8));
            rows.Add(new Row(Cell($"A{row}", header, HeaderStyle), Cell($"B{row}", help, WrapStyle), Cell($"C{row}", synonyms, WrapStyle)) { RowIndex = row });
            row++;
        }

        row++;
        rows.Add(new Row(Cell($"A{row}", Say("Template.StatusesTitle"), HeaderStyle)) { RowIndex = row });
        row++;
        foreach (var status in Enum.GetValues<ActionStatus>())
        {
            var wire = WireNames.Format(status);
            rows.Add(new Row(Cell($"A{row}", TrackerTexts.Status(language, status), Plain), Cell($"B{row}", Say("StatusHelp." + wire), WrapStyle), Cell($"C{row}", wire, Plain)) { RowIndex = row });
            row++;
        }

        return new Worksheet(ColumnWidths([18, 90, 40], [WrapStyle, WrapStyle, WrapStyle]), new SheetData(rows), new MergeCells(new MergeCell { Reference = "A1:C1" }) { Count = 1 });
    }

    private static Worksheet OrganizationsSheet(PartnershipLanguage language, IReadOnlyList<Organization> organizations)
    {
        var rows = new List<Row> { new(Cell("A1", TrackerTexts.Say(language, "Template.OrganizationName"), HeaderStyle), Cell("B1", TrackerTexts.Say(language, "Template.OrganizationId"), HeaderStyle)) { RowIndex = 1 } };
        var row = 2u;
        foreach (var organization in organizations)
        {
            rows.Add(new Row(Cell($"A{row}", organization.Name, Plain), Cell($"B{row}", organization.Id, Plain)) { RowIndex = row });
            row++;
        }

        if (organizations.Count == 0)
        {
            rows.Add(new Row(Cell("A3", TrackerTexts.Say(language, "Template.NoOrganization"), Plain)) { RowIndex = 3 });
        }

        return new Worksheet(ColumnWidths([40, 24], [Plain, Plain]), new SheetData(rows));
    }

    private static void AddSheet(WorkbookPart workbook, Sheets sheets, string name, Worksheet worksheet)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        part.Worksheet = worksheet;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)sheets.ChildElements.Count + 1, Name = name });
    }

    private static DataValidation List(string range, string formula, bool strict) => new(new Formula1(formula))
    {
        Type = DataValidationValues.List,
        AllowBlank = true,
        ShowInputMessage = false,
        ShowErrorMessage = strict,
        ErrorStyle = strict ? DataValidationErrorStyleValues.Stop : DataValidationErrorStyleValues.Information,
        SequenceOfReferences = new ListValue<StringValue> { InnerText = range },
    };

    private static Columns ColumnWidths(IEnumerable<double> widths, IEnumerable<uint> styles)
    {
        var columns = new Columns();
        var index = 1u;
        foreach (var (width, style) in widths.Zip(styles))
        {
            columns.Append(new Column { Min = index, Max = index, Width = width, CustomWidth = true, Style = style });
            index++;
        }

        return columns;
    }

    private static Cell Cell(string reference, string text, uint style) => new(new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }))
    {
        CellReference = reference,
        DataType = CellValues.InlineString,
        StyleIndex = style,
    };

    private static string Column(TrackerColumn column) => XlsxGrid.ColumnName(Array.FindIndex(Layout, c => c.Column == column) + 1);

    private static string Reference(int column, int row) => XlsxGrid.ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    // 0 plain, 1 header (bold, shaded, wrapped), 2 a date (yyyy-mm-dd), 3 the title (bold, larger), 4 wrapped text.
    private static Stylesheet Styles() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy\\-mm\\-dd" }) { Count = 1 },
        new Fonts(new Font(new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 11 }), new Font(new Bold(), new FontSize { Val = 14 })) { Count = 3 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFDDEBF7" }) { PatternType = PatternValues.Solid }))
        { Count = 3 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { FontId = 1, FillId = 2, ApplyFont = true, ApplyFill = true, ApplyAlignment = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { FontId = 2, ApplyFont = true },
            new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { ApplyAlignment = true })
        { Count = 5 });
}
