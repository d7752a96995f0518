using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Functions.Alerts;

namespace Engagement.Functions.Tests.Alerts;

public sealed class AlertEmailTests
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

    [Fact]
    public void Compose_HostileNames_NoHeaderInjectionAndNoMarkup()
    {
        var partnership = new Partnership { Id = "p1", Name = "Table\r\nBcc: everyone@example.org", Language = PartnershipLanguage.French };
        var (subject, text, html) = AlertEmail.Compose(Alert, partnership, "<script>alert(1)</script> & Cie", AlertAction.Open, "https://x.example/api/partnerships/p1/risk", "https://x.example/api/acknowledge?p=p1&a=cdc&e=1&s=abc");

        Assert.DoesNotContain('\r', subject);
        Assert.DoesNotContain('\n', subject);
        Assert.StartsWith("[Risque élevé] <script>alert(1)</script> & Cie — Table  Bcc:", subject, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie", html, StringComparison.Ordinal);
        Assert.Contains("aucun représentant &lt;b&gt;désigné&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://x.example/api/acknowledge?p=p1&amp;a=cdc&amp;e=1&amp;s=abc\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal); // no external resources
        Assert.Contains("Organiser une rencontre d’accueil (passation)", text, StringComparison.Ordinal);
        Assert.Contains("Score précédent : 41 %", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_English_EscalationSaysSoWithTheRightSteps()
    {
        var partnership = new Partnership { Id = "p1", Name = "Round table", Language = PartnershipLanguage.English };
        var (subject, text, _) = AlertEmail.Compose(Alert with { Type = AlertType.FallingAttendance }, partnership, "CDC", AlertAction.Escalate, null);
        Assert.Equal("[High risk] CDC — Round table", subject);
        Assert.Contains("has gone up", text, StringComparison.Ordinal);
        Assert.Contains("Circulate the minutes of the last meeting.", text, StringComparison.Ordinal);
        Assert.Contains("no <b>representative</b> in place", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trained-2026-11-30T20:04:36Z", true, "Score calculé par le modèle entraîné le 30 novembre 2026")]
    [InlineData("trained-2026-11-30T20:04:36Z", false, "Scored by the model trained on November 30, 2026")]
    [InlineData("trained-2026-12-01T03:00:00Z", true, "entraîné le 30 novembre 2026")] // 22 h in Montréal, the day before
    [InlineData("prior-1", false, "Scored by the starting model")]
    public void ModelInWords_SaysTheDayItWasTrained_NeverItsVersionString(string version, bool fr, string expected)
    {
        var words = AlertEmail.ModelInWords(version, fr);

        Assert.Contains(expected, words, StringComparison.Ordinal);
        Assert.DoesNotContain("trained-", words, StringComparison.Ordinal);
        Assert.DoesNotContain("prior-1", words, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_TheFooterNamesTheModelInWords()
    {
        var partnership = new Partnership { Id = "p1", Name = "Table", Language = PartnershipLanguage.French };
        var (_, text, html) = AlertEmail.Compose(Alert, partnership, "CDC", AlertAction.Open, null);

        Assert.Contains("modèle entraîné le 2 novembre 2026", text, StringComparison.Ordinal);
        Assert.DoesNotContain("trained-2026", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ComposeGroup_OneEmailForTheRun_EachOrganisationWithItsReasonsAndItsOwnLink_HighestFirst()
    {
        var partnership = new Partnership { Id = "p1", Name = "Table <Centre-Sud>", Language = PartnershipLanguage.French };
        var medium = Alert with { OrganizationId = "ville", Band = "medium", Probability = 0.45, Type = AlertType.FallingAttendance };
        var (subject, text, html) = AlertEmail.ComposeGroup(
            [(medium, "Ville", AlertAction.Open, "https://x.example/ack?a=ville"), (Alert, "CDC <Est>", AlertAction.Open, "https://x.example/ack?a=cdc")],
            partnership,
            "https://x.example/api/dashboard/partnerships/p1?lang=fr");

        Assert.Equal("[Risque élevé] 2 partenaires à surveiller — Table <Centre-Sud>", subject);
        Assert.True(text.IndexOf("== CDC <Est> ==", StringComparison.Ordinal) < text.IndexOf("== Ville ==", StringComparison.Ordinal), text);
        Assert.Contains("https://x.example/ack?a=cdc", text, StringComparison.Ordinal);
        Assert.Contains("https://x.example/ack?a=ville", text, StringComparison.Ordinal);
        Assert.Contains("aucun représentant <b>désigné</b>", text, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(text, "modèle entraîné le 2 novembre 2026"));
        Assert.Equal(1, CountOf(html, "Voir le partenariat"));
        Assert.Contains("<h2>CDC &lt;Est&gt;</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "<body"));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
