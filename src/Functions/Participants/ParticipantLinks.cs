using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Engagement.Core.Domain;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Participants;

/// <summary>What a participant's link opens.</summary>
public enum LinkPurpose
{
    /// <summary>A meeting's sign-in at the door (<c>/api/sign-in</c>).</summary>
    SignIn,

    /// <summary>A meeting's feedback form (<c>/api/feedback</c>).</summary>
    Feedback,

    /// <summary>A partnership's CACIS diagnostic, opened by its coordinator until a day (<c>/api/diagnostic</c>).</summary>
    Diagnostic,

    /// <summary>One representative's follow-up sheet of one action in one round (<c>/api/follow-up</c>).</summary>
    FollowUp,
}

internal enum LinkStatus
{
    Valid,
    Invalid,
    Expired,
}

/// <summary>
/// A signed link: what it opens, for which partnership, meeting and form — or, for a follow-up sheet, which request and
/// which representative — until when (Unix seconds).
/// </summary>
internal sealed record ParticipantLink(LinkPurpose Purpose, string PartnershipId, string? MeetingId, string? FormId, long Expires, string? RequestId = null, string? PersonId = null)
{
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(Expires);

    /// <summary>What the link is about, whatever its expiry: the per-link rate limit counts here.</summary>
    public string Subject => string.Join('\n', Purpose, PartnershipId, MeetingId, FormId, RequestId, PersonId);

    public string Path => Purpose switch
    {
        LinkPurpose.SignIn => ParticipantPaths.SignIn,
        LinkPurpose.Feedback => ParticipantPaths.Feedback,
        LinkPurpose.FollowUp => ParticipantPaths.FollowUp,
        _ => ParticipantPaths.Diagnostic,
    };
}

/// <summary>
/// The participants' links: HMAC-SHA256 with <c>Participants:SigningKey</c> over what the link opens (its purpose, so a
/// sign-in link never opens a form), the partnership, the meeting and form it is bound to, and its expiry, cut to 128
/// bits (a shorter link makes a QR code that phones read from further away). The link is the participant's only
/// credential: no account, no cookie.
/// </summary>
internal sealed class ParticipantLinks(IOptions<ParticipantOptions> options)
{
    private readonly Lazy<byte[]> _key = new(() => options.Value.Key());

    private byte[] Key => _key.Value;

    /// <summary>The query string of a link (without '?').</summary>
    public string Query(ParticipantLink link)
    {
        var query = new StringBuilder("p=").Append(Uri.EscapeDataString(link.PartnershipId));
        if (link.MeetingId is { } meeting)
        {
            query.Append("&m=").Append(Uri.EscapeDataString(meeting));
        }

        if (link.FormId is { } form)
        {
            query.Append("&f=").Append(Uri.EscapeDataString(form));
        }

        if (link.RequestId is { } request)
        {
            query.Append("&r=").Append(Uri.EscapeDataString(request));
        }

        if (link.PersonId is { } person)
        {
            query.Append("&w=").Append(Uri.EscapeDataString(person));
        }

        return query.Append("&e=").Append(link.Expires.ToString(CultureInfo.InvariantCulture)).Append("&s=").Append(Sign(link)).ToString();
    }

    /// <summary>The whole link: the public address (or the request's own), the page, the signed query.</summary>
    public string Url(HttpRequest request, ParticipantLink link) =>
        $"{BaseUrl(request)}{link.Path}?{Query(link)}";

    /// <summary>
    /// The whole link for an e-mail, written with no request to answer: <c>Participants:PublicBaseUrl</c>, else the
    /// alerts' <c>Alerts:PublicBaseUrl</c>; null when neither is set.
    /// </summary>
    public string? Url(ParticipantLink link, string? fallbackBaseUrl) =>
        (options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured : fallbackBaseUrl) is { Length: > 0 } baseUrl
            ? $"{baseUrl.TrimEnd('/')}{link.Path}?{Query(link)}"
            : null;

    public string BaseUrl(HttpRequest request) =>
        options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>Reads the link a request carries: valid, tampered or incomplete (invalid), or past its expiry.</summary>
    public (LinkStatus Status, ParticipantLink? Link) Read(LinkPurpose purpose, IQueryCollection query, DateTimeOffset now)
    {
        string? One(string name) => query[name] is { Count: 1 } values && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

        var (partnership, meeting, form, expires, signature) = (One("p"), One("m"), One("f"), One("e"), One("s"));
        var (request, person) = (One("r"), One("w"));
        var needsMeeting = purpose is LinkPurpose.SignIn or LinkPurpose.Feedback;
        var needsForm = purpose is LinkPurpose.Feedback or LinkPurpose.Diagnostic;
        var needsRequest = purpose is LinkPurpose.FollowUp;
        if (partnership is null || signature is null || (meeting is null) == needsMeeting || (form is null) == needsForm
            || (request is null) == needsRequest || (person is null) == needsRequest
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var until))
        {
            return (LinkStatus.Invalid, null);
        }

        var link = new ParticipantLink(purpose, partnership, meeting, form, until, request, person);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(link)), Encoding.ASCII.GetBytes(signature)))
        {
            return (LinkStatus.Invalid, null);
        }

        return now.ToUnixTimeSeconds() > until ? (LinkStatus.Expired, link) : (LinkStatus.Valid, link);
    }

    /// <summary>
    /// A stable, unguessable id for one respondent's answer to a form (and meeting): a second submission by the same person
    /// replaces the first instead of adding one, and the id says nothing of who answered.
    /// </summary>
    public string ResponseId(string formId, string? meetingId, string personId)
    {
        var digest = HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"response\n{formId}\n{meetingId}\n{personId}"));
        var hash = Convert.ToHexStringLower(digest)[..20];
        // The meeting leads the id when it fits (ids are at most 128 characters): a reader of the exports sees which meeting
        // a feedback answer is about, as the hash alone would not say.
        return meetingId is null || meetingId.Length > 100 ? hash : $"{meetingId}.{hash}";
    }

    /// <summary>The id given to a person who typed a name not on the list: the same name typed again for the same organisation is the same person.</summary>
    public string NewPersonId(string partnershipId, string organizationId, string normalizedName)
    {
        var digest = HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"person\n{partnershipId}\n{organizationId}\n{normalizedName}"));
        return "new-" + Convert.ToHexStringLower(digest)[..16];
    }

    private string Sign(ParticipantLink link)
    {
        var signed = string.Join('\n', "v1", link.Purpose, link.PartnershipId, link.MeetingId, link.FormId, link.Expires.ToString(CultureInfo.InvariantCulture));
        // A follow-up sheet's link also binds its request and its representative. Appended only to those links: the
        // links already handed out (printed QR codes among them) keep their signature.
        if (link.Purpose == LinkPurpose.FollowUp)
        {
            signed = string.Join('\n', signed, link.RequestId, link.PersonId);
        }

        var payload = Encoding.UTF8.GetBytes(signed);
        return Convert.ToBase64String(HMACSHA256.HashData(Key, payload).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

/// <summary>The participants' addresses.</summary>
internal static class ParticipantPaths
{
    public const string SignIn = "/api/sign-in";
    public const string Feedback = "/api/feedback";
    public const string Diagnostic = "/api/diagnostic";
    public const string FollowUp = "/api/follow-up";
    public const string Privacy = "/api/participants/privacy";

    public static string PrivacyPage(PartnershipLanguage language) => $"{Privacy}?lang={Dashboard.PageLanguages.Code(language)}";

    /// <summary>The coordinator's sign-in page of a meeting (QR code, live list), under the dashboard: its session cookie opens it.</summary>
    public static string MeetingSignIn(string partnershipId, string meetingId, PartnershipLanguage language) =>
        $"{Dashboard.DashboardPaths.Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/meetings/{Uri.EscapeDataString(meetingId)}/sign-in?lang={Dashboard.PageLanguages.Code(language)}";

    public static string CloseSignIn(string partnershipId, string meetingId, PartnershipLanguage language) =>
        $"{Dashboard.DashboardPaths.Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/meetings/{Uri.EscapeDataString(meetingId)}/sign-in/close?lang={Dashboard.PageLanguages.Code(language)}";

    public static string ConfirmSignIn(string partnershipId, string meetingId, string personId, PartnershipLanguage language) =>
        $"{Dashboard.DashboardPaths.Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/meetings/{Uri.EscapeDataString(meetingId)}/sign-ins/{Uri.EscapeDataString(personId)}/confirm?lang={Dashboard.PageLanguages.Code(language)}";

    public static string OpenDiagnostic(string partnershipId, PartnershipLanguage language, string? query = null) =>
        $"{Dashboard.DashboardPaths.Root}/partnerships/{Uri.EscapeDataString(partnershipId)}/diagnostic?{(query is null ? string.Empty : query + "&")}lang={Dashboard.PageLanguages.Code(language)}";
}
