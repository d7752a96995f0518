using System.Globalization;
using System.Text.RegularExpressions;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Functions.Alerts;
using Engagement.Functions.Alerts.Email;
using Engagement.Functions.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Engagement.Functions.Tests.Alerts;

public sealed partial class AlertEmailTests : IDisposable
{
    private static readonly Alert Alert = new()
    {
        PartnershipId = "p1",
        OrganizationId = "cdc",
        Type = AlertType.RepresentativeTurnover,
        Status = AlertStatus.Open,
        Band = "high",
        Probability = 0.82,
        PreviousProbability = 0.41,
        ModelVersion = "trained-2026-11-02T05:00:00Z",
        Reasons = [new SnapshotReason("vacancy", 1.5, 1, "aucun représentant <b>désigné</b>", "no <b>representative</b> in place")],
        OpenedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>The app's registration of what components need (strings, encoder), and the e-mails' composer.</summary>
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddComponentRendering().AddSingleton<AlertEmail>().BuildServiceProvider();

    private AlertEmail Emails => _services.GetRequiredService<AlertEmail>();

    public void Dispose() => _services.Dispose();

    private static Partnership Table(PartnershipLanguage language, string name = "Table") => new() { Id = "p1", Name = name, Language = language };

    [Fact]
    public async Task Compose_InTheAppInDevelopment_RendersWithItsOwnScope()
    {
        // Development validates scopes: a renderer built on the root provider fails to resolve its scoped services, and
        // a scoring run that raised an alert failed with it (the demo did, at start).
        await using var app = new EngagementApp(environment: "Development");

        var (subject, _, html) = await app.Services.GetRequiredService<AlertEmail>().ComposeAsync(Table(PartnershipLanguage.French), [new(Alert, "CDC", AlertAction.Open, null)], null);

        Assert.Contains("CDC", subject, StringComparison.Ordinal);
        Assert.Contains("aucun représentant", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_HostileNames_NoHeaderInjectionAndNoMarkup()
    {
        var partnership = Table(PartnershipLanguage.French, "Table\r\nBcc: everyone@example.org");
        var (subject, text, html) = await Emails.ComposeAsync(partnership, [new(Alert, "<script>alert(1)</script> & Cie", AlertAction.Open, "https://x.example/api/acknowledge?p=p1&a=cdc&e=1&s=abc")], "https://x.example/api/partnerships/p1/risk");

        Assert.DoesNotContain('\r', subject);
        Assert.DoesNotContain('\n', subject);
        Assert.StartsWith("[Risque élevé] <script>alert(1)</script> & Cie — Table  Bcc:", subject, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie", html, StringComparison.Ordinal);
        Assert.Contains("aucun représentant &lt;b&gt;désigné&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://x.example/api/acknowledge?p=p1&amp;a=cdc&amp;e=1&amp;s=abc\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal); // no external resources
        Assert.Contains("Organiser une rencontre d’accueil (passation)", text, StringComparison.Ordinal);
        Assert.Contains("Score précédent : 41\u00A0%", text, StringComparison.Ordinal); // « % » kept with its number, as on the pages
    }

    [Fact]
    public async Task Compose_English_EscalationSaysSoWithTheRightSteps()
    {
        var (subject, text, _) = await Emails.ComposeAsync(Table(PartnershipLanguage.English, "Round table"), [new(Alert with { Type = AlertType.FallingAttendance }, "CDC", AlertAction.Escalate, null)], null);
        Assert.Equal("[High risk] CDC — Round table", subject);
        Assert.Contains("has gone up: it is now high (82%)", text, StringComparison.Ordinal);
        Assert.Contains("Circulate the minutes of the last meeting.", text, StringComparison.Ordinal);
        Assert.Contains("no <b>representative</b> in place", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trained-2026-11-30T20:04:36Z", PartnershipLanguage.French, "Score calculé par le modèle entraîné le 30 novembre 2026")]
    [InlineData("trained-2026-11-30T20:04:36Z", PartnershipLanguage.English, "Scored by the model trained on November 30, 2026")]
    [InlineData("trained-2026-12-01T03:00:00Z", PartnershipLanguage.French, "entraîné le 30 novembre 2026")] // 22 h in Montréal, the day before
    [InlineData("prior-2", PartnershipLanguage.English, "Scored by the starting model")]
    public async Task ModelInWords_SaysTheDayItWasTrained_NeverItsVersionString(string version, PartnershipLanguage language, string expected)
    {
        var strings = _services.GetRequiredService<IStringLocalizer<Strings>>();
        var words = string.Empty;
        await PageLanguages.InAsync(language, () =>
        {
            words = AlertWords.ModelInWords(strings, version);
            return Task.CompletedTask;
        });

        Assert.Contains(expected, words, StringComparison.Ordinal);
        Assert.DoesNotContain("trained-", words, StringComparison.Ordinal);
        Assert.DoesNotContain("prior-", words, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_TheFooterNamesTheModelInWords()
    {
        var (_, text, html) = await Emails.ComposeAsync(Table(PartnershipLanguage.French), [new(Alert, "CDC", AlertAction.Open, null)], null);

        Assert.Contains("modèle entraîné le 2 novembre 2026", text, StringComparison.Ordinal);
        Assert.Contains("modèle entraîné le 2 novembre 2026", html, StringComparison.Ordinal);
        Assert.DoesNotContain("trained-2026", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComposeGroup_OneEmailForTheRun_EachOrganisationWithItsReasonsAndItsOwnLink_HighestFirst()
    {
        var partnership = Table(PartnershipLanguage.French, "Table <Centre-Sud>");
        var medium = Alert with { OrganizationId = "ville", Band = "medium", Probability = 0.45, Type = AlertType.FallingAttendance };
        var (subject, text, html) = await Emails.ComposeAsync(
            partnership,
            [new(medium, "Ville", AlertAction.Open, "https://x.example/ack?a=ville"), new(Alert, "CDC <Est>", AlertAction.Open, "https://x.example/ack?a=cdc")],
            "https://x.example/api/dashboard/partnerships/p1?lang=fr");

        Assert.Equal("[Risque élevé] 2 partenaires à surveiller — Table <Centre-Sud>", subject);
        Assert.True(text.IndexOf("== CDC <Est> ==", StringComparison.Ordinal) < text.IndexOf("== Ville ==", StringComparison.Ordinal), text);
        Assert.Contains("https://x.example/ack?a=cdc", text, StringComparison.Ordinal);
        Assert.Contains("https://x.example/ack?a=ville", text, StringComparison.Ordinal);
        Assert.Contains("aucun représentant <b>désigné</b>", text, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(text, "modèle entraîné le 2 novembre 2026"));
        Assert.Equal(1, CountOf(html, "Voir le partenariat"));
        Assert.Equal(1, CountOf(html, "modèle entraîné le 2 novembre 2026"));
        Assert.Matches("<h2[^>]*>CDC &lt;Est&gt;</h2>", html);
        Assert.True(html.IndexOf("CDC &lt;Est&gt;", StringComparison.Ordinal) < html.IndexOf(">Ville<", StringComparison.Ordinal), html);
        Assert.Contains("Le dernier calcul du risque signale 2 partenaires de Table &lt;Centre-Sud&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "<body"));
    }

    [Fact]
    public async Task Compose_BothLanguagesAtOnce_EachRenderedInItsOwnWords_AndTheCallersCultureUntouched()
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var items = new AlertEmailItem[] { new(Alert, "CDC", AlertAction.Open, "https://x.example/ack?a=cdc") };
        // Rendered side by side, many times over: a culture that leaked from one render into another would show.
        var french = Enumerable.Range(0, 8).Select(_ => Emails.ComposeAsync(Table(PartnershipLanguage.French), items, "https://x.example/fr")).ToList();
        var english = Enumerable.Range(0, 8).Select(_ => Emails.ComposeAsync(Table(PartnershipLanguage.English), items, "https://x.example/en")).ToList();
        await Task.WhenAll(french.Concat(english));

        Assert.Equal(before, (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture));
        foreach (var (subject, text, html) in french.Select(t => t.Result))
        {
            Assert.Equal("[Risque élevé] CDC — Table", subject);
            Assert.Contains("<html lang=\"fr\">", html, StringComparison.Ordinal);
            // BandLabel, TrendLabel and ReasonList are the dashboard's components, here with the e-mail's strings.
            Assert.Contains("▲ </span>élevé", html, StringComparison.Ordinal);
            Assert.Contains("en hausse de 41 pts", html, StringComparison.Ordinal);
            Assert.Contains("aucun représentant", html, StringComparison.Ordinal);
            Assert.Contains("Pistes d’action", html, StringComparison.Ordinal);
            Assert.Contains("J’ai pris connaissance de cette alerte", html, StringComparison.Ordinal);
            Assert.Contains("CDC présente un risque élevé de désengagement (82 %", text.Replace('\u00A0', ' ').Replace('\u202F', ' '), StringComparison.Ordinal);
            Assert.Contains("Pistes d’action :", text, StringComparison.Ordinal);
            Assert.Contains("Voir le partenariat : https://x.example/fr", text, StringComparison.Ordinal);
            Assert.DoesNotContain("What you could do", text + html, StringComparison.Ordinal);
        }

        foreach (var (subject, text, html) in english.Select(t => t.Result))
        {
            Assert.Equal("[High risk] CDC — Table", subject);
            Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
            Assert.Contains("▲ </span>high", html, StringComparison.Ordinal);
            Assert.Contains("up 41 pts", html, StringComparison.Ordinal);
            Assert.Contains("no &lt;b&gt;representative&lt;/b&gt; in place", html, StringComparison.Ordinal);
            Assert.Contains("What you could do", html, StringComparison.Ordinal);
            Assert.Contains("I have seen this alert", html, StringComparison.Ordinal);
            Assert.Contains("CDC shows a high risk of disengagement (82% probability", text, StringComparison.Ordinal);
            Assert.Contains("Scored by the model trained on November 2, 2026", text, StringComparison.Ordinal);
            Assert.Contains("See the partnership: https://x.example/en", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Pistes", text + html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(PartnershipLanguage.French, "[Actions en retard] Centre des femmes — Table", "Centre des femmes a des actions en retard au plan d’action ; son risque de désengagement est faible (18 %).", "2 actions en retard depuis 45 jours",
        new[] { "Offrir de l’aide à l’organisation porteuse", "Revoir l’échéance avec l’organisation porteuse", "Jumeler l’action avec une organisation partenaire" })]
    [InlineData(PartnershipLanguage.English, "[Late actions] Centre des femmes — Table", "Centre des femmes has late actions in the action plan; its disengagement risk is low (18%).", "2 actions late for 45 days",
        new[] { "Offer help to the organisation carrying it", "Re-plan the due date with the carrier", "Pair the action with a partner organisation" })]
    public async Task Compose_LateActions_SaysSoAndWhatToDo(PartnershipLanguage language, string subject, string what, string reason, string[] steps)
    {
        var late = Alert with
        {
            Type = AlertType.LateActions,
            Band = "low",
            Probability = 0.18,
            PreviousProbability = null,
            Reasons = [new SnapshotReason("actions_late_share", 0.6, 1, "2 actions en retard depuis 45 jours", "2 actions late for 45 days")],
        };

        var (mailSubject, text, html) = await Emails.ComposeAsync(Table(language), [new(late, "Centre des femmes", AlertAction.Open, null)], null);

        Assert.Equal(subject, mailSubject);
        Assert.Contains(what, text.Replace('\u00A0', ' ').Replace('\u202F', ' '), StringComparison.Ordinal);
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.Contains(reason, html, StringComparison.Ordinal);
        Assert.All(steps, step => Assert.Contains(step, text, StringComparison.Ordinal));
        Assert.All(steps, step => Assert.Contains(step, html, StringComparison.Ordinal));

        // At the high band the subject says the risk, as for any alert.
        var (highSubject, _, _) = await Emails.ComposeAsync(Table(language), [new(late with { Band = "high", Probability = 0.7 }, "Centre des femmes", AlertAction.Escalate, null)], null);
        Assert.StartsWith(language == PartnershipLanguage.French ? "[Risque élevé]" : "[High risk]", highSubject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_ScriptInThePartnershipAndOrganisationNames_IsTextInTheHtml()
    {
        var hostile = "<script>alert('x')</script>";
        var partnership = Table(PartnershipLanguage.English, hostile);
        var (_, _, single) = await Emails.ComposeAsync(partnership, [new(Alert, hostile, AlertAction.Open, null)], null);
        var (_, _, group) = await Emails.ComposeAsync(partnership, [new(Alert, hostile, AlertAction.Open, null), new(Alert with { OrganizationId = "v" }, "Ville", AlertAction.Open, null)], null);
        var (_, _, digest) = await Emails.DigestAsync(partnership, [new(Alert, hostile)], "2026-W10", null);

        foreach (var html in new[] { single, group, digest })
        {
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Compose_HtmlWritesAccentsAsCharacters_NoEntityForAnyNonAsciiLetter()
    {
        var (_, _, html) = await Emails.ComposeAsync(Table(PartnershipLanguage.French, "Société de développement"), [new(Alert, "Café-rencontre Hochelaga", AlertAction.Open, null)], null);

        Assert.Contains("Société de développement", html, StringComparison.Ordinal);
        Assert.Contains("Café-rencontre", html, StringComparison.Ordinal);
        Assert.Contains("modèle entraîné", html, StringComparison.Ordinal);
        Assert.Contains("d’action", html, StringComparison.Ordinal);
        // Only markup characters (and invisible spaces such as the narrow no-break space before "%") may be references.
        var references = NumericReference().Matches(html).Select(m => int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.All(references, c => Assert.True(c < 0x80 || char.IsWhiteSpace((char)c), $"&#x{c:X}; in {html}"));
    }

    [Fact]
    public async Task Compose_TextPart_HasNoMarkupAndNoCharacterReferences()
    {
        var clean = Alert with { Reasons = [new SnapshotReason("absences", 1, 4, "absente aux 4 dernières rencontres d’affilée", "absent from the last 4 meetings in a row")] };
        foreach (var language in new[] { PartnershipLanguage.French, PartnershipLanguage.English })
        {
            var (_, single, _) = await Emails.ComposeAsync(Table(language), [new(clean, "CDC", AlertAction.Open, "https://x.example/ack?a=cdc&s=1")], "https://x.example/p1");
            var (_, group, _) = await Emails.ComposeAsync(Table(language), [new(clean, "CDC", AlertAction.Open, null), new(clean with { OrganizationId = "v", Probability = 0.4, Band = "medium" }, "Ville", AlertAction.Escalate, null)], "https://x.example/p1");
            var (_, digest, _) = await Emails.DigestAsync(Table(language), [new(clean with { AcknowledgedAt = DateTimeOffset.UnixEpoch }, "CDC")], "2026-W10", "https://x.example/p1");

            foreach (var text in new[] { single, group, digest })
            {
                Assert.DoesNotMatch("<[a-zA-Z/!]", text);
                Assert.DoesNotMatch("&[a-zA-Z#][a-zA-Z0-9]*;", text);
            }

            Assert.Contains("https://x.example/ack?a=cdc&s=1", single, StringComparison.Ordinal); // a link is written as is

            Assert.Contains(language == PartnershipLanguage.French ? "absente aux 4 dernières rencontres d’affilée" : "absent from the last 4 meetings in a row", digest, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Digest_InEachLanguage_HighestFirstWithTheAcknowledgedDay()
    {
        var seen = Alert with { OrganizationId = "ville", Band = "medium", Probability = 0.45, AcknowledgedAt = new DateTimeOffset(2026, 3, 3, 15, 0, 0, TimeSpan.Zero), Status = AlertStatus.Acknowledged };
        var (frSubject, frText, frHtml) = await Emails.DigestAsync(Table(PartnershipLanguage.French), [new(seen, "Ville"), new(Alert, "CDC")], "2026-W10", null);
        var (enSubject, enText, _) = await Emails.DigestAsync(Table(PartnershipLanguage.English), [new(seen, "Ville"), new(Alert, "CDC")], "2026-W10", null);

        Assert.Equal("[Résumé 2026-W10] 2 alerte(s) ouverte(s) — Table", frSubject);
        Assert.Equal("[Digest 2026-W10] 2 open alert(s) — Table", enSubject);
        Assert.True(frText.IndexOf("CDC", StringComparison.Ordinal) < frText.IndexOf("Ville", StringComparison.Ordinal), frText);
        Assert.Contains("Ville — risque moyen (45", frText, StringComparison.Ordinal);
        Assert.Contains("prise en compte le 3 mars 2026", frText, StringComparison.Ordinal);
        Assert.Contains("prise en compte le 3 mars 2026", frHtml, StringComparison.Ordinal);
        Assert.Contains("Ville — medium risk (45%) · acknowledged on March 3, 2026: no <b>representative</b> in place", enText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PartnershipLanguage.French)]
    [InlineData(PartnershipLanguage.English)]
    public async Task EveryAlertType_HasItsNextStepsAndEveryBandItsWords_InEachLanguage(PartnershipLanguage language)
    {
        // A key missing from a .resx would be written as the key itself: the steps and bands are asked by built names.
        var strings = _services.GetRequiredService<IStringLocalizer<Strings>>();
        var words = new List<string>();
        await PageLanguages.InAsync(language, () =>
        {
            words.AddRange(Enum.GetValues<AlertType>().SelectMany(type => AlertWords.Steps(strings, type)));
            words.AddRange(new[] { ("high", AlertType.FallingAttendance), ("medium", AlertType.FallingAttendance), ("low", AlertType.LateActions) }
                .Select(x => AlertWords.Risk(strings, [new(Alert with { Band = x.Item1, Type = x.Item2 }, "CDC", AlertAction.Open, null)])));
            words.AddRange(new[] { "high", "medium", "low" }.Select(band => AlertWords.What(strings, new(Alert with { Band = band }, "CDC", AlertAction.Open, null))));
            words.AddRange(new[] { "high", "medium", "low" }.Select(band => AlertWords.What(strings, new(Alert with { Band = band, Type = AlertType.LateActions }, "CDC", AlertAction.Open, null))));
            words.AddRange(Enum.GetValues<AlertType>().Select(type => AlertWords.TypeOf(strings, Alert with { Type = type })));
            return Task.CompletedTask;
        });

        Assert.Equal(2 + 3 + 2 + 4 + 3 + 3 + 3 + 3 + 5, words.Count);
        Assert.All(words, w => Assert.DoesNotContain("Email.", w, StringComparison.Ordinal));
        Assert.All(words, w => Assert.DoesNotContain("Band.", w, StringComparison.Ordinal));
        Assert.All(words, w => Assert.DoesNotContain("Alerts.", w, StringComparison.Ordinal));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    [GeneratedRegex("&#x([0-9A-Fa-f]+);")]
    private static partial Regex NumericReference();
}
