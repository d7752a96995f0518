using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Engagement.Core.Domain;
using Microsoft.Extensions.Localization;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The progress report as a Word document for the committee and the funder: the same content as the page, with real
/// heading styles (Word's navigation pane and table of contents find them), tables with a repeated header row, Letter
/// pages, the document's language set. Written in the current culture, as the page is.
/// </summary>
internal static class ReportDocx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static byte[] Write(ReportModel model, IStringLocalizer l)
    {
        var language = CultureInfo.CurrentUICulture.Name;
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = Styles(language);
            var body = new Body();
            body.Append(Paragraph(l["Report.Title"] + " — " + model.Partnership.Name, "Title"));
            body.Append(Paragraph(l["Report.Period", Fmt.Day(model.From), Fmt.Day(model.To)] + " · " + l["Report.Generated", Fmt.Day(model.GeneratedOn)]));

            body.Append(Paragraph(l["Report.Figures"], "Heading1"));
            body.Append(Table([string.Empty, string.Empty], [.. ReportText.Figures(model.Figures, l).Select(f => new[] { f.Label, f.Value })], header: false));

            if (model.Objectives.Count == 0)
            {
                body.Append(Paragraph(l["Plan.None"]));
            }

            var number = 0;
            foreach (var objective in model.Objectives)
            {
                number++;
                body.Append(Paragraph(l["Report.Objective", number, objective.Objective.Title], "Heading1"));
                if (!string.IsNullOrWhiteSpace(objective.Objective.Description))
                {
                    body.Append(Paragraph(objective.Objective.Description));
                }

                foreach (var (heading, text) in ReportText.Narrative(objective.Objective, l))
                {
                    body.Append(Paragraph(heading, "Heading2"));
                    body.Append(Paragraph(text ?? l["Report.ToWrite"]));
                }

                body.Append(Paragraph(l["Report.ActionsAt", Fmt.Day(model.To)], "Heading2"));
                if (objective.Actions.Count == 0)
                {
                    body.Append(Paragraph(l["Plan.NoAction"]));
                }
                else
                {
                    body.Append(Table(
                        [l["Plan.Action"], l["Plan.Carriers"], l["Plan.Due"], l["Plan.Status"], l["Plan.Sheets"]],
                        [.. objective.Actions.Select(a => new[]
                        {
                            a.Action.Title + (string.IsNullOrWhiteSpace(a.Action.Deliverables) ? string.Empty : "\n" + l["Plan.Deliverables", a.Action.Deliverables]),
                            a.Lead + (a.Partners.Count == 0 ? string.Empty : "\n" + l["Plan.With", string.Join(", ", a.Partners)]),
                            a.Action.DueOn is { } due ? Fmt.ShortDay(due) : l["Plan.NoDue"],
                            StatusText(a.State, l),
                            (a.LastSheetOn is { } last ? l["Plan.LastSheet"] + " " + Fmt.ShortDay(last) : l["Plan.NoSheet"])
                                + (a.Unanswered == 0 ? string.Empty : "\n" + (a.Unanswered == 1 ? l["Plan.UnansweredOne"] : l["Plan.UnansweredMany", a.Unanswered])),
                        })]));
                }

                body.Append(Paragraph(l["Report.Notes"], "Heading2"));
                if (objective.Notes.Count == 0)
                {
                    body.Append(Paragraph(l["Report.NoNotes"]));
                }

                foreach (var note in objective.Notes)
                {
                    body.Append(Paragraph(note.Action + " · " + Fmt.ShortDay(note.Day) + (note.Organization is { } org ? " · " + org : string.Empty), "Heading3"));
                    foreach (var (label, text) in ReportText.NoteParts(note, l))
                    {
                        body.Append(Paragraph(label + " " + text));
                    }
                }
            }

            body.Append(Paragraph(l["Report.Participation"], "Heading1"));
            body.Append(Table(
                [l["Col.Organization"], l["Report.MeetingsPresent", model.Figures.Meetings], l["Report.ActionsCarried"], l["Report.SheetsAnswered"]],
                [.. model.Participation.Select(p => new[]
                {
                    p.Organization.Name,
                    p.MeetingsPresent.ToString(CultureInfo.CurrentCulture),
                    p.ActionsCarried.ToString(CultureInfo.CurrentCulture),
                    p.SheetsAsked == 0 ? "–" : l["Report.OfAsked", p.SheetsAnswered, p.SheetsAsked].Value,
                })]));

            // Letter, one-inch margins (twentieths of a point).
            body.Append(new SectionProperties(
                new PageSize { Width = 12240U, Height = 15840U },
                new PageMargin { Top = 1440, Bottom = 1440, Left = 1440U, Right = 1440U, Header = 720U, Footer = 720U, Gutter = 0U }));
            main.Document = new Document(body);
            document.PackageProperties.Title = l["Report.PageTitle", model.Partnership.Name];
            document.PackageProperties.Language = language;
            document.PackageProperties.Creator = "EngagementFunctions";
        }

        return stream.ToArray();
    }

    /// <summary>An action's state in words, as the page's label says it.</summary>
    public static string StatusText(ActionState state, IStringLocalizer l)
    {
        if (state.IsLate)
        {
            return l["ActionStatus.late"] + (state.DaysLate == 0 ? string.Empty : " · " + (state.DaysLate == 1 ? l["Plan.DaysLateOne"] : l["Plan.DaysLate", state.DaysLate]));
        }

        return l["ActionStatus." + WireNames.Format(state.Status)];
    }

    private static Paragraph Paragraph(string text, string? style = null)
    {
        var paragraph = new Paragraph();
        if (style is not null)
        {
            paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        }

        paragraph.Append(Run(text));
        return paragraph;
    }

    /// <summary>A run keeping the text's line breaks.</summary>
    private static Run Run(string text, bool bold = false)
    {
        var run = new Run();
        if (bold)
        {
            run.Append(new RunProperties(new Bold()));
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                run.Append(new Break());
            }

            run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
        }

        return run;
    }

    private static Table Table(IReadOnlyList<string> headers, IReadOnlyList<string[]> rows, bool header = true)
    {
        var border = () => new BorderType[]
        {
            new TopBorder { Val = BorderValues.Single, Size = 4, Color = "A0AEC0" },
            new BottomBorder { Val = BorderValues.Single, Size = 4, Color = "A0AEC0" },
            new LeftBorder { Val = BorderValues.Single, Size = 4, Color = "A0AEC0" },
            new RightBorder { Val = BorderValues.Single, Size = 4, Color = "A0AEC0" },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4, Color = "A0AEC0" },
            new InsideVerticalBorder { Val = BorderValues.Single, Size = 4, Color = "A0AEC0" },
        };
        var table = new Table(new TableProperties(
            new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" },
            new TableBorders(border()),
            new TableLayout { Type = TableLayoutValues.Autofit }));
        if (header)
        {
            var row = new TableRow(new TableRowProperties(new TableHeader()));
            foreach (var text in headers)
            {
                row.Append(new TableCell(new TableCellProperties(new Shading { Val = ShadingPatternValues.Clear, Fill = "EDF2F7", Color = "auto" }), new Paragraph(Run(text, bold: true))));
            }

            table.Append(row);
        }

        foreach (var cells in rows)
        {
            var row = new TableRow(new TableRowProperties(new CantSplit()));
            foreach (var text in cells)
            {
                row.Append(new TableCell(new Paragraph(Run(text))));
            }

            table.Append(row);
        }

        return table;
    }

    private static Styles Styles(string language)
    {
        static Style Heading(string id, string name, int level, int halfPoints) => new(
            new StyleName { Val = name },
            new BasedOn { Val = "Normal" },
            new NextParagraphStyle { Val = "Normal" },
            new PrimaryStyle(),
            new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "240", After = "80" }, new OutlineLevel { Val = level }),
            new StyleRunProperties(new Bold(), new Color { Val = "1A202C" }, new FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) }))
        { Type = StyleValues.Paragraph, StyleId = id };

        return new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = "Calibri", HighAnsi = "Calibri", ComplexScript = "Calibri" },
                    new FontSize { Val = "22" },
                    new Languages { Val = language })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "120", Line = "264", LineRule = LineSpacingRuleValues.Auto }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            new Style(
                new StyleName { Val = "Title" },
                new BasedOn { Val = "Normal" },
                new NextParagraphStyle { Val = "Normal" },
                new PrimaryStyle(),
                new StyleRunProperties(new Bold(), new FontSize { Val = "40" }))
            { Type = StyleValues.Paragraph, StyleId = "Title" },
            Heading("Heading1", "heading 1", 0, 32),
            Heading("Heading2", "heading 2", 1, 26),
            Heading("Heading3", "heading 3", 2, 22));
    }
}
