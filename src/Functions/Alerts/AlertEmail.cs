using System.Globalization;
using System.Text;
using Engagement.Core.Domain;
using Engagement.Functions.Alerts.Email;
using Engagement.Functions.Dashboard;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;

namespace Engagement.Functions.Alerts;

/// <summary>An e-mail ready for the outbox: a one-line subject, the plain-text part and the HTML part.</summary>
internal sealed record ComposedEmail(string Subject, string Text, string Html);

/// <summary>
/// The coordinator's e-mails, in the partnership's language, as plain text and as HTML without external resources:
/// what changed, the trend, the reasons in plain words, next steps from the field's practice, and a link to the
/// partnership's page on the dashboard. The HTML is rendered by Razor components (<c>Alerts/Email/</c>, reusing the
/// dashboard's <c>BandLabel</c>, <c>TrendLabel</c> and <c>ReasonList</c>) and both parts take their words from
/// <c>Strings.resx</c>, as the pages do. Every name and reason is escaped; the subject cannot carry a line break.
/// </summary>
internal sealed class AlertEmail(IServiceScopeFactory scopes, ILoggerFactory loggerFactory, IStringLocalizer<Strings> strings)
{
    /// <summary>
    /// One e-mail for the organisations of a partnership that one scoring run alerts on, highest risk first: each with
    /// what changed, its trend, its reasons, next steps and its own acknowledge link; the dashboard link and the model
    /// once. With one organisation, its section alone, the dashboard link after its next steps.
    /// </summary>
    public Task<ComposedEmail> ComposeAsync(Partnership partnership, IReadOnlyList<AlertEmailItem> items, string? link)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        ArgumentOutOfRangeException.ThrowIfZero(items.Count);
        var model = new AlertEmailModel(partnership, [.. items.OrderByDescending(i => i.Alert.Probability)], link);
        return RenderAsync<AlertEmailBody>(partnership.Language, () => AlertWords.Subject(strings, model), () => Text(model), subject => new()
        {
            [nameof(AlertEmailBody.Model)] = model,
            [nameof(AlertEmailBody.Subject)] = subject,
        });
    }

    /// <summary>The weekly summary of a partnership's open alerts, highest risk first.</summary>
    public Task<ComposedEmail> DigestAsync(Partnership partnership, IReadOnlyList<DigestLine> lines, string week, string? link)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        var model = new DigestEmailModel(partnership, [.. lines.OrderByDescending(l => l.Alert.Probability)], week, link);
        return RenderAsync<DigestEmailBody>(partnership.Language, () => AlertWords.Subject(strings, model), () => Text(model), subject => new()
        {
            [nameof(DigestEmailBody.Model)] = model,
            [nameof(DigestEmailBody.Subject)] = subject,
        });
    }

    /// <summary>
    /// Writes the subject, the text and the HTML in the language's culture. A renderer per e-mail: its components live
    /// as long as it does, and a run writes few e-mails. The culture is set inside the renderer's dispatcher, where the
    /// components run, and only there (an async lambda's culture does not leak to its caller).
    /// </summary>
    private async Task<ComposedEmail> RenderAsync<TComponent>(PartnershipLanguage language, Func<string> subjectOf, Func<string> textOf, Func<string, Dictionary<string, object?>> parameters)
        where TComponent : IComponent
    {
        // Its own scope: the renderer resolves scoped services (the components' activity source), never from the root.
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = PageLanguages.Culture(language);
            var subject = subjectOf();
            var html = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters(subject)));
            return new ComposedEmail(subject, textOf(), html.ToHtmlString());
        });
    }

    private string Text(AlertEmailModel model)
    {
        var text = new StringBuilder();
        if (model.Grouped)
        {
            text.AppendLine(strings["Email.Group.Intro", model.Items.Count, model.Partnership.Name]).AppendLine();
            if (model.Link is { } link)
            {
                text.AppendLine(strings["Email.Colon", strings["Email.See"], link]).AppendLine();
            }

            foreach (var item in model.Items)
            {
                text.AppendLine("== " + item.SubjectName + " ==");
                Section(text, item, model.Partnership.Language, link: null);
                text.AppendLine();
            }
        }
        else
        {
            Section(text, model.Items[0], model.Partnership.Language, model.Link);
        }

        return text.AppendLine().AppendLine(AlertWords.ModelInWords(strings, model.ModelVersion)).ToString();
    }

    /// <summary>One organisation's part, as <c>AlertSection.razor</c> writes it.</summary>
    private void Section(StringBuilder text, AlertEmailItem item, PartnershipLanguage language, string? link)
    {
        text.AppendLine(AlertWords.What(strings, item)).AppendLine(AlertWords.PreviousOrFirst(strings, item.Alert)).AppendLine();
        if (item.Alert.Reasons.Count > 0)
        {
            text.AppendLine(strings["Email.Heading", strings["Email.Why"]]);
            List(text, AlertWords.Reasons(item.Alert.Reasons, language));
            text.AppendLine();
        }

        text.AppendLine(strings["Email.Heading", strings["Email.Steps"]]);
        List(text, AlertWords.Steps(strings, item.Alert.Type));
        if (link is not null)
        {
            text.AppendLine().AppendLine(strings["Email.Colon", strings["Email.See"], link]);
        }

        if (item.AcknowledgeLink is { } acknowledge)
        {
            text.AppendLine(strings["Email.Colon", strings["Email.Acknowledge"], acknowledge]);
        }
    }

    private string Text(DigestEmailModel model)
    {
        var text = new StringBuilder().AppendLine(strings["Email.Digest.Intro", model.Partnership.Name]).AppendLine();
        List(text, model.Lines.Select(line => line.Alert.Reasons.Count > 0
            ? strings["Email.Colon", AlertWords.DigestLine(strings, line), AlertWords.Reasons(line.Alert.Reasons.Take(1), model.Partnership.Language).Single()]
            : AlertWords.DigestLine(strings, line)));
        if (model.Link is { } link)
        {
            text.AppendLine().AppendLine(strings["Email.Colon", strings["Email.See"], link]);
        }

        return text.ToString();
    }

    private static void List(StringBuilder text, IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            text.Append("- ").AppendLine(item);
        }
    }

    /// <summary>No line breaks or control characters in a header value: no header injection through a name.</summary>
    internal static string OneLine(string value) => new([.. value.Select(c => char.IsControl(c) ? ' ' : c)]);
}
