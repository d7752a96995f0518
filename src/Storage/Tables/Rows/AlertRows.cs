using System.Runtime.Serialization;
using System.Text.Json;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables.Rows;

/// <summary>An alert, in <c>{prefix}Data</c>: RowKey <c>alert|id</c>; the alert itself is JSON over several properties.</summary>
internal sealed class AlertRow : TableRow
{
    public const string Prefix = "alert";

    public string? Status { get; set; }

    /// <summary>The alert as JSON (enums by name), over <c>Alert0</c>….</summary>
    [IgnoreDataMember]
    public string AlertJson
    {
        get => LongText.Join(AlertParts, Alert0, Alert1, Alert2, Alert3, Alert4, Alert5, Alert6, Alert7, Alert8, Alert9, Alert10, Alert11, Alert12, Alert13, Alert14, Alert15) ?? string.Empty;
        set => AlertParts = LongText.Split("Alert", value, ref Alert0, ref Alert1, ref Alert2, ref Alert3, ref Alert4, ref Alert5, ref Alert6, ref Alert7, ref Alert8, ref Alert9, ref Alert10, ref Alert11, ref Alert12, ref Alert13, ref Alert14, ref Alert15);
    }

    public int? AlertParts { get; set; }

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.
    public string? Alert0, Alert1, Alert2, Alert3, Alert4, Alert5, Alert6, Alert7, Alert8, Alert9, Alert10, Alert11, Alert12, Alert13, Alert14, Alert15;
#pragma warning restore CA1051

    public static string Key(string id) => TableKeys.Compose(Prefix, id);

    public static AlertRow From(string partitionKey, Alert alert) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(alert.Id),
        Status = WireNames.Format(alert.Status),
        AlertJson = JsonSerializer.Serialize(alert, RowJson.Alerts),
    };

    public Alert ToAlert() => JsonSerializer.Deserialize<Alert>(AlertJson, RowJson.Alerts)!;
}

/// <summary>An alert e-mail in the outbox, in <c>{prefix}Data</c>: RowKey <c>mail|id</c>.</summary>
internal sealed class MailRow : TableRow
{
    public const string Prefix = "mail";

    public string? Id { get; set; }

    public string? AlertId { get; set; }

    public string? Recipient { get; set; }

    public string? Subject { get; set; }

    public string? MessageId { get; set; }

    public string? CreatedAt { get; set; }

    /// <summary>When it was delivered; set once, never cleared.</summary>
    public string? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>The plain-text body, over <c>Text0</c>….</summary>
    [IgnoreDataMember]
    public string Text
    {
        get => LongText.Join(TextParts, Text0, Text1, Text2, Text3, Text4, Text5, Text6, Text7, Text8, Text9, Text10, Text11, Text12, Text13, Text14, Text15) ?? string.Empty;
        set => TextParts = LongText.Split("Text", value, ref Text0, ref Text1, ref Text2, ref Text3, ref Text4, ref Text5, ref Text6, ref Text7, ref Text8, ref Text9, ref Text10, ref Text11, ref Text12, ref Text13, ref Text14, ref Text15);
    }

    public int? TextParts { get; set; }

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.
    public string? Text0, Text1, Text2, Text3, Text4, Text5, Text6, Text7, Text8, Text9, Text10, Text11, Text12, Text13, Text14, Text15;
#pragma warning restore CA1051

    /// <summary>The HTML body, over <c>Html0</c>….</summary>
    [IgnoreDataMember]
    public string Html
    {
        get => LongText.Join(HtmlParts, Html0, Html1, Html2, Html3, Html4, Html5, Html6, Html7, Html8, Html9, Html10, Html11, Html12, Html13, Html14, Html15) ?? string.Empty;
        set => HtmlParts = LongText.Split("Html", value, ref Html0, ref Html1, ref Html2, ref Html3, ref Html4, ref Html5, ref Html6, ref Html7, ref Html8, ref Html9, ref Html10, ref Html11, ref Html12, ref Html13, ref Html14, ref Html15);
    }

    public int? HtmlParts { get; set; }

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.
    public string? Html0, Html1, Html2, Html3, Html4, Html5, Html6, Html7, Html8, Html9, Html10, Html11, Html12, Html13, Html14, Html15;
#pragma warning restore CA1051

    public static string Key(string id) => TableKeys.Compose(Prefix, id);

    public static MailRow From(string partitionKey, AlertNotification notification) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(notification.Id),
        Id = notification.Id,
        AlertId = notification.AlertId,
        Recipient = notification.Recipient,
        Subject = notification.Subject,
        MessageId = notification.MessageId,
        CreatedAt = Instant(notification.CreatedAt),
        Attempts = 0,
        Text = notification.Text,
        Html = notification.Html,
    };

    public AlertNotification ToNotification() => new()
    {
        PartnershipId = PartitionKey,
        Id = Id!,
        AlertId = AlertId!,
        Recipient = Recipient!,
        Subject = Subject!,
        Text = Text,
        Html = Html,
        MessageId = MessageId!,
        CreatedAt = ParseInstant(CreatedAt!),
        SentAt = SentAt is { } sent ? ParseInstant(sent) : null,
        Attempts = Attempts,
        LastError = LastError,
    };
}

/// <summary>A Microsoft 365 registration (Teams meeting, Forms workbook, group), in <c>{prefix}Data</c>: RowKey <c>int|kind|id</c>.</summary>
internal sealed class IntegrationRow : TableRow
{
    public const string Prefix = "int";

    public string? Kind { get; set; }

    public string? Id { get; set; }

    /// <summary>JSON object, keys in order.</summary>
    public string? Settings { get; set; }

    /// <summary>Where the last sync stopped (a delta link…), or null; over <c>Checkpoint0</c>….</summary>
    [IgnoreDataMember]
    public string? Checkpoint
    {
        get => LongText.Join(CheckpointParts, Checkpoint0, Checkpoint1, Checkpoint2, Checkpoint3, Checkpoint4, Checkpoint5, Checkpoint6, Checkpoint7, Checkpoint8, Checkpoint9, Checkpoint10, Checkpoint11, Checkpoint12, Checkpoint13, Checkpoint14, Checkpoint15);
        set => CheckpointParts = LongText.Split("Checkpoint", value, ref Checkpoint0, ref Checkpoint1, ref Checkpoint2, ref Checkpoint3, ref Checkpoint4, ref Checkpoint5, ref Checkpoint6, ref Checkpoint7, ref Checkpoint8, ref Checkpoint9, ref Checkpoint10, ref Checkpoint11, ref Checkpoint12, ref Checkpoint13, ref Checkpoint14, ref Checkpoint15);
    }

    public int? CheckpointParts { get; set; }

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.
    public string? Checkpoint0, Checkpoint1, Checkpoint2, Checkpoint3, Checkpoint4, Checkpoint5, Checkpoint6, Checkpoint7, Checkpoint8, Checkpoint9, Checkpoint10, Checkpoint11, Checkpoint12, Checkpoint13, Checkpoint14, Checkpoint15;
#pragma warning restore CA1051

    public static string Key(IntegrationKind kind, string id) => TableKeys.Compose(Prefix, WireNames.Format(kind), id);

    /// <summary>The row for a registration as written: the checkpoint is the sync's to set, never the registration's.</summary>
    public static IntegrationRow From(IntegrationRegistration registration) => new()
    {
        PartitionKey = registration.PartnershipId,
        RowKey = Key(registration.Kind, registration.Id),
        Kind = WireNames.Format(registration.Kind),
        Id = registration.Id,
        Settings = JsonSerializer.Serialize(new SortedDictionary<string, string>(registration.Settings.ToDictionary(), StringComparer.Ordinal), RowJson.Web),
    };

    public IntegrationRegistration ToRegistration() => new()
    {
        PartnershipId = PartitionKey,
        Kind = Parse<IntegrationKind>(Kind),
        Id = Id!,
        Settings = JsonSerializer.Deserialize<Dictionary<string, string>>(Settings ?? "{}", RowJson.Web) ?? [],
        Checkpoint = Checkpoint,
    };
}
