using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using Engagement.Functions.Telemetry;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;

namespace Engagement.Functions.Alerts;

/// <summary>Settings section <c>Alerts</c>.</summary>
internal sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary><c>None</c> (e-mails wait in the outbox), <c>Smtp</c> or <c>Graph</c>.</summary>
    [RegularExpression("^(?i:none|smtp|graph)$", ErrorMessage = "Alerts:Provider must be None, Smtp or Graph.")]
    public string Provider { get; set; } = "None";

    /// <summary>Sender address (SMTP), e.g. alertes@table-hochelaga.org.</summary>
    public string? From { get; set; }

    /// <summary>Mailbox that sends through Graph sendMail (Exchange's Application Mail.Send role, scoped to this mailbox with RBAC for Applications).</summary>
    public string? GraphMailbox { get; set; }

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Public address of the app, for links in e-mails (e.g. https://engagement.example.org).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Days before the same alert key is e-mailed again at the same band (default 14).</summary>
    [Range(0, 365)]
    public int CoolDownDays { get; set; } = 14;

    /// <summary>Also alert when a band rises by one from medium up (default true).</summary>
    public bool OpenOnRise { get; set; } = true;

    /// <summary>Alert on an organisation with at least this many late actions of the action plan, whatever its risk (default 1).</summary>
    [Range(1, 1000)]
    public int LateActionsMinimum { get; set; } = 1;

    /// <summary>Days the longest-late of those actions must have been late before they raise an alert (default 30).</summary>
    [Range(0, 3650)]
    public int LateActionDays { get; set; } = 30;

    /// <summary>Base64 key (32 bytes or more) that signs the acknowledge links in e-mails; without it e-mails carry none.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Days an acknowledge link stays valid (default 14).</summary>
    [Range(1, 90)]
    public int LinkValidityDays { get; set; } = 14;

    internal sealed class SmtpSettings
    {
        public string Host { get; set; } = "localhost";

        [Range(1, 65535)]
        public int Port { get; set; } = 25;

        /// <summary>Upgrade the connection with STARTTLS.</summary>
        public bool EnableStartTls { get; set; }

        public string? UserName { get; set; }

        public string? Password { get; set; }
    }
}

/// <summary>An e-mail ready to go.</summary>
internal sealed record OutgoingMail(string To, string Subject, string Text, string Html, string MessageId);

/// <summary>The mail seam: SMTP standalone, Graph sendMail in Azure.</summary>
internal interface IMailSender
{
    /// <summary>Hands the mail to the server; returns only once it accepted it, throws otherwise.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>SMTP with System.Net.Mail; keeps the outbox's Message-ID, so a re-send after a crash is the same message.</summary>
internal sealed class SmtpMailSender(AlertOptions options) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        using var message = new MailMessage(new MailAddress(options.From ?? throw new InvalidOperationException("Alerts:From is required to send through SMTP.")), new MailAddress(mail.To))
        {
            Subject = mail.Subject,
            SubjectEncoding = System.Text.Encoding.UTF8,
            HeadersEncoding = System.Text.Encoding.UTF8,
        };
        message.Headers.Add("Message-ID", mail.MessageId);
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.Text, System.Text.Encoding.UTF8, MediaTypeNames.Text.Plain));
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(mail.Html, System.Text.Encoding.UTF8, MediaTypeNames.Text.Html));
        using var client = new SmtpClient(options.Smtp.Host, options.Smtp.Port) { EnableSsl = options.Smtp.EnableStartTls, DeliveryMethod = SmtpDeliveryMethod.Network };
        if (!string.IsNullOrEmpty(options.Smtp.UserName))
        {
            client.Credentials = new NetworkCredential(options.Smtp.UserName, options.Smtp.Password);
        }

        using var activity = EngagementActivities.StartSmtpSend(options.Smtp.Host, options.Smtp.Port);
        try
        {
            await client.SendMailAsync(message, cancellationToken);
        }
        catch (Exception ex)
        {
            activity.Failed(ex);
            throw;
        }
    }
}

/// <summary>
/// Graph <c>POST /users/{mailbox}/sendMail</c> (202 = accepted). Graph sets its own Message-ID; the outbox id travels
/// in <c>x-engagement-notification</c>, and the outbox records the send only after the 202.
/// </summary>
internal sealed class GraphMailSender(GraphServiceClient client, AlertOptions options) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var body = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = mail.Subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = mail.Html },
                ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = mail.To } }],
                InternetMessageHeaders = [new InternetMessageHeader { Name = "x-engagement-notification", Value = mail.MessageId }],
            },
            SaveToSentItems = false,
        };
        await client.Users[options.GraphMailbox ?? throw new InvalidOperationException("Alerts:GraphMailbox is required to send through Graph.")].SendMail.PostAsync(body, cancellationToken: cancellationToken);
    }
}
