using System.Globalization;
using System.Text;
using Engagement.Functions.Alerts;
using Engagement.Functions.Dashboard;
using Engagement.Functions.FollowUpSheets.Email;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;

namespace Engagement.Functions.FollowUpSheets;

/// <summary>
/// The follow-up e-mail to one representative, in the partnership's language, as plain text and as HTML without
/// external resources (<c>Email/SheetEmailBody.razor</c>, in the alert e-mails' frame): the actions of their
/// organisation to update, each with its objective, its due day and its own signed link, and until when the links work.
/// Both parts take their words from <c>Strings.resx</c>; every name is escaped; the subject cannot carry a line break.
/// </summary>
internal sealed class FollowUpSheetEmail(IServiceScopeFactory scopes, ILoggerFactory loggerFactory, IStringLocalizer<Strings> strings)
{
    public async Task<ComposedEmail> ComposeAsync(SheetEmailModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfZero(model.Items.Count);
        // A renderer per e-mail, the culture set inside its dispatcher where the components run (as the alert e-mails do).
        // Its own scope: the renderer resolves scoped services (the components' activity source), never from the root.
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = PageLanguages.Culture(model.Partnership.Language);
            var subject = SheetWords.Subject(strings, model);
            var html = await renderer.RenderComponentAsync<SheetEmailBody>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(SheetEmailBody.Model)] = model,
                [nameof(SheetEmailBody.Subject)] = subject,
            }));
            return new ComposedEmail(subject, Text(model), html.ToHtmlString());
        });
    }

    /// <summary>The plain-text part, as <c>SheetEmailBody.razor</c> writes the HTML one.</summary>
    private string Text(SheetEmailModel model)
    {
        var text = new StringBuilder()
            .AppendLine(SheetWords.Hello(strings, model)).AppendLine()
            .AppendLine(SheetWords.Intro(strings, model)).AppendLine();
        foreach (var item in model.Items)
        {
            text.Append("- ").AppendLine(item.Title);
            foreach (var line in SheetWords.Details(strings, item))
            {
                text.Append("  ").AppendLine(line);
            }

            text.Append("  ").AppendLine(strings["Email.Colon", strings["Sheet.Email.Fill"], item.Url]);
        }

        return text.AppendLine()
            .AppendLine(strings["Sheet.Email.Until", Fmt.Day(Fmt.DayOf(model.ValidUntil))])
            .AppendLine()
            .AppendLine(strings["Sheet.Email.Why", model.OrganizationName, model.Partnership.Name])
            .ToString();
    }
}

/// <summary>The sentences of the follow-up e-mails, in the current UI culture: the HTML and the text parts both write these.</summary>
internal static class SheetWords
{
    public static string Subject(IStringLocalizer l, SheetEmailModel model) => AlertEmail.OneLine(
        l[model.Reminder ? "Sheet.Email.ReminderSubject" : "Sheet.Email.Subject", model.Items.Count, model.Partnership.Name].Value);

    public static string Hello(IStringLocalizer l, SheetEmailModel model) =>
        model.PersonName.Length > 0 ? l["Sheet.Email.Hello", model.PersonName].Value : l["Sheet.Email.HelloNoName"].Value;

    public static string Intro(IStringLocalizer l, SheetEmailModel model) => model.Reminder
        ? l["Sheet.Email.ReminderIntro", Fmt.Day(model.SentOn), model.OrganizationName].Value
        : l["Sheet.Email.Intro", model.Partnership.Name, model.OrganizationName].Value;

    /// <summary>An action's objective and due day, one line each.</summary>
    public static IEnumerable<string> Details(IStringLocalizer l, SheetEmailItem item)
    {
        if (item.ObjectiveTitle is { } objective)
        {
            yield return l["Email.Colon", l["Sheet.Objective"], objective].Value;
        }

        yield return item.DueOn is { } due ? l["Email.Colon", l["Sheet.Due"], Fmt.Day(due)].Value : l["Sheet.NoDue"].Value;
    }
}
