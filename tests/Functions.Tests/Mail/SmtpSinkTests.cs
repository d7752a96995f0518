using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Engagement.Tests;

namespace Engagement.Functions.Tests.Mail;

/// <summary>System.Net.Mail against the real loopback SMTP sink the mail tests use: what arrives, and how failures surface.</summary>
public sealed class SmtpSinkTests : IAsyncLifetime
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(10);
    private SmtpSink? _sink;

    private SmtpSink Sink => _sink!;

    public async Task InitializeAsync() => _sink = await SmtpSink.StartAsync();

    public async Task DisposeAsync()
    {
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }
    }

    [Fact]
    public async Task Send_FrenchSubjectWithTextAndHtmlViews_SinkReceivesDecodedMessage()
    {
        const string subject = "Rappel : réunion de coordination — été, « Maître » & Cie";
        const string text = "Bonjour,\nLa réunion a lieu à 14 h. Ça vous convient ?";
        const string html = "<p>Bonjour,</p><p>La réunion a lieu à <b>14 h</b>. Ça vous convient ?</p>";
        using var message = new MailMessage(new MailAddress("coordination@engagement.test", "Équipe coordination"), new MailAddress("coordinatrice@partenaire.test"))
        {
            Subject = subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        message.Headers.Add("Message-ID", "<rappel-42@engagement.test>");
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(text, Encoding.UTF8, MediaTypeNames.Text.Plain));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(html, Encoding.UTF8, MediaTypeNames.Text.Html));

        using (var client = Client())
        {
            await client.SendMailAsync(message);
        }

        var mail = Assert.Single(await Sink.WaitForMessagesAsync(1, SafetyNet));
        Assert.Equal(subject, mail.Subject);
        Assert.Equal("<rappel-42@engagement.test>", mail.MessageId);
        Assert.Equal("<rappel-42@engagement.test>", mail.Headers["message-id"]);
        Assert.Equal("coordination@engagement.test", mail.From);
        Assert.Equal(["coordinatrice@partenaire.test"], mail.To);
        Assert.Equal(["coordinatrice@partenaire.test"], mail.EnvelopeTo);
        Assert.Equal(text, mail.Text?.TrimEnd('\n'));
        Assert.Equal(html, mail.Html?.TrimEnd('\n'));
        Assert.StartsWith("multipart/alternative", mail.Headers["content-type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_SinkStoppedThenRestartedOnSamePort_FailsThenSucceedsKeepingEarlierMail()
    {
        await SendAsync("premier");
        await Sink.WaitForMessagesAsync(1, SafetyNet);
        var port = Sink.Port;

        await Sink.StopAsync();
        await Assert.ThrowsAsync<SmtpException>(() => SendAsync("perdu"));

        await Sink.RestartAsync();
        Assert.Equal(port, Sink.Port);
        await SendAsync("second");

        var messages = await Sink.WaitForMessagesAsync(2, SafetyNet);
        Assert.Equal(["premier", "second"], messages.Select(m => m.Subject));
    }

    [Fact]
    public async Task Send_SinkRefusingMail_ThrowsSmtpExceptionWith4xxStatus()
    {
        Sink.Refuse(true);

        var error = await Assert.ThrowsAnyAsync<SmtpException>(() => SendAsync("refusé"));

        Assert.InRange((int)error.StatusCode, 400, 499);
        Sink.Refuse(false);
        await SendAsync("accepté");
        Assert.Equal("accepté", Assert.Single(await Sink.WaitForMessagesAsync(1, SafetyNet)).Subject);
    }

    private SmtpClient Client() => new("127.0.0.1", Sink.Port) { EnableSsl = false, Timeout = (int)SafetyNet.TotalMilliseconds };

    private async Task SendAsync(string subject)
    {
        using var message = new MailMessage("coordination@engagement.test", "coordinatrice@partenaire.test", subject, "Bonjour.") { SubjectEncoding = Encoding.UTF8 };
        using var client = Client();
        await client.SendMailAsync(message);
    }
}
