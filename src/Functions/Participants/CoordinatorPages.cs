using System.Globalization;
using Engagement.Core.Domain;
using Engagement.Core.Validation;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Participants.Components;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Participants;

/// <summary>
/// The coordinator's side of the participants' pages, under the dashboard (its session cookie opens them): a meeting's
/// sign-in page (QR code and link to show or print, the sheet filling in — the page reloads itself every
/// <see cref="RefreshSeconds"/> seconds with the Refresh header, no script — typed names to confirm, the feedback
/// links), the page that closes the sign-in, and the page that opens a CACIS diagnostic. Only a coordinator or an admin
/// of the partnership; forms post with the dashboard's antiforgery field and answer with a redirect back.
/// </summary>
internal sealed class CoordinatorPages(
    EngagementReaders stores,
    SignInService signIns,
    ParticipantForms forms,
    ParticipantLinks links,
    IAntiforgery antiforgery,
    IOptions<ParticipantOptions> options,
    TimeProvider time)
{
    public const int RefreshSeconds = 20;

    public async Task<IResult> MeetingSignInAsync(HttpRequest request, string partnershipId, string meetingId, CancellationToken ct)
    {
        var (refusal, partnership, meeting, language) = await AllowAsync(request, partnershipId, meetingId, post: false, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var url = links.Url(request, signIns.Link(meeting!));
        var (from, until) = signIns.Window(meeting!);
        var feedback = new List<FormLink>();
        foreach (var form in await forms.FeedbackFormsAsync(partnershipId, ct))
        {
            var link = forms.FeedbackLink(meeting!, form);
            var formUrl = links.Url(request, link);
            feedback.Add(new FormLink(form.Id, form.Title, formUrl, QrCode.Of(formUrl), link.ExpiresAt));
        }

        var model = new MeetingSignInModel
        {
            Partnership = partnership!,
            Meeting = meeting!,
            Url = url,
            Qr = QrCode.Of(url),
            ValidFrom = from,
            ValidUntil = until,
            Sheet = await signIns.ReadSheetAsync(meeting!, language, ct),
            FeedbackLinks = feedback,
            Antiforgery = Tokens(request),
            RefreshSeconds = RefreshSeconds,
        };
        request.HttpContext.Response.Headers["Refresh"] = RefreshSeconds.ToString(CultureInfo.InvariantCulture);
        return Page<MeetingSignInPage>(request, language, new { Model = model });
    }

    public async Task<IResult> CloseSignInPageAsync(HttpRequest request, string partnershipId, string meetingId, CancellationToken ct)
    {
        var (refusal, partnership, meeting, language) = await AllowAsync(request, partnershipId, meetingId, post: false, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var sheet = await signIns.ReadSheetAsync(meeting!, language, ct);
        return Page<CloseSignInPage>(request, language, new
        {
            Model = new CloseSignInModel { Partnership = partnership!, Meeting = meeting!, NotRecorded = sheet.NotSignedIn, SignedIn = sheet.Lines.Count, ClosedAt = sheet.ClosedAt, Antiforgery = Tokens(request) },
        });
    }

    /// <summary>Closes the sign-in: the boxes ticked (<c>excused</c>) are excused, every other representative without a record absent.</summary>
    public async Task<IResult> CloseSignInAsync(HttpRequest request, string partnershipId, string meetingId, CancellationToken ct)
    {
        var (refusal, _, meeting, language) = await AllowAsync(request, partnershipId, meetingId, post: true, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var posted = await request.ReadFormAsync(ct);
        try
        {
            await signIns.CloseAsync(meeting!, [.. posted["excused"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)], ct);
        }
        catch (ValidationFailedException)
        {
            // Someone signed in or was recorded since the page was drawn: nothing was written; the page shows who is left.
            return Results.Redirect(ParticipantPaths.CloseSignIn(partnershipId, meetingId, language), permanent: false, preserveMethod: false);
        }

        return Results.Redirect(ParticipantPaths.MeetingSignIn(partnershipId, meetingId, language), permanent: false, preserveMethod: false);
    }

    public async Task<IResult> ConfirmAsync(HttpRequest request, string partnershipId, string meetingId, string personId, CancellationToken ct)
    {
        var (refusal, _, meeting, language) = await AllowAsync(request, partnershipId, meetingId, post: true, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        return await signIns.ConfirmAsync(meeting!, personId, ct) is null
            ? DashboardPages.Message(request, language, time, StatusCodes.Status404NotFound, "NotFound.Title", "Participant.NothingToConfirm", ParticipantPaths.MeetingSignIn(partnershipId, meetingId, language), "Participant.BackToSignIn")
            : Results.Redirect(ParticipantPaths.MeetingSignIn(partnershipId, meetingId, language) + "#sheet", permanent: false, preserveMethod: false);
    }

    /// <summary>The page that opens a diagnostic; with <c>?f=&amp;e=</c> (what the opening redirected to), its link and QR code.</summary>
    public async Task<IResult> DiagnosticPageAsync(HttpRequest request, string partnershipId, CancellationToken ct)
    {
        var (refusal, partnership, _, language) = await AllowAsync(request, partnershipId, null, post: false, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        FormLink? opened = null;
        var responses = 0;
        // The expiry comes from the query: one past what opening allows is not signed.
        var latest = time.GetUtcNow().AddDays(options.Value.DiagnosticMaxDays + 1).ToUnixTimeSeconds();
        if (request.Query["f"].FirstOrDefault() is { } formId && long.TryParse(request.Query["e"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && expires <= latest && await stores.Forms.GetFormAsync(formId, ct) is { PartnershipId: var owner } form && owner == partnershipId && ParticipantForms.ItemKeys(form) is not null)
        {
            var link = new ParticipantLink(LinkPurpose.Diagnostic, partnershipId, null, form.Id, expires);
            var url = links.Url(request, link);
            opened = new FormLink(form.Id, form.Title, url, QrCode.Of(url), link.ExpiresAt);
            responses = (await stores.Forms.ListFormSubmissionsAsync(partnershipId, ct)).Count(s => s.FormId == form.Id);
        }

        var today = Fmt.DayOf(time.GetUtcNow());
        return Page<DiagnosticOpenPage>(request, language, new
        {
            Model = new DiagnosticOpenModel
            {
                Partnership = partnership!,
                DefaultUntil = today.AddDays(options.Value.DiagnosticDays),
                LastUntil = today.AddDays(options.Value.DiagnosticMaxDays),
                Opened = opened,
                Responses = responses,
                Antiforgery = Tokens(request),
            },
        });
    }

    public async Task<IResult> OpenDiagnosticAsync(HttpRequest request, string partnershipId, CancellationToken ct)
    {
        var (refusal, partnership, _, language) = await AllowAsync(request, partnershipId, null, post: true, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var posted = await request.ReadFormAsync(ct);
        try
        {
            var until = posted["until"].ToString();
            var (form, link) = await forms.OpenDiagnosticAsync(partnership!, null, until.Length == 0 ? null : until, null, ct);
            return Results.Redirect(ParticipantPaths.OpenDiagnostic(partnershipId, language, $"f={Uri.EscapeDataString(form.Id)}&e={link.Expires.ToString(CultureInfo.InvariantCulture)}"), permanent: false, preserveMethod: false);
        }
        catch (ValidationFailedException)
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status400BadRequest, "Participant.DiagnosticRefused", "Participant.DiagnosticRefusedText", ParticipantPaths.OpenDiagnostic(partnershipId, language), "Participant.BackToDiagnostic");
        }
    }

    /// <summary>
    /// Null when the caller may go on: a signed-in coordinator or admin of this partnership (and, for a post, a valid
    /// antiforgery field), and the meeting exists. Otherwise the answer: the sign-in page, or a page saying 404, 403 or 400.
    /// </summary>
    private async Task<(IResult? Refusal, Partnership? Partnership, Meeting? Meeting, PartnershipLanguage Language)> AllowAsync(HttpRequest request, string partnershipId, string? meetingId, bool post, CancellationToken ct)
    {
        var user = request.HttpContext.User;
        var chosen = PageLanguages.Chosen(request);
        var language = chosen ?? PartnershipLanguage.French;
        if (!DashboardPages.MayRead(user))
        {
            return (Results.Redirect(DashboardPaths.Login(chosen)), null, null, language);
        }

        if (!user.CanAccess(partnershipId) || await stores.Partnerships.GetPartnershipAsync(partnershipId, ct) is not { } partnership)
        {
            return (DashboardPages.Message(request, language, time, StatusCodes.Status404NotFound, "NotFound.Title", "NotFound.Partnership", DashboardPaths.Overview(language), "Frame.AllPartnerships"), null, null, language);
        }

        language = chosen ?? partnership.Language;
        if (!user.IsInRole(Roles.Coordinator) && !user.IsInRole(Roles.Admin))
        {
            return (DashboardPages.Message(request, language, time, StatusCodes.Status403Forbidden, "Actions.Forbidden", "Actions.ForbiddenText", DashboardPaths.Partnership(partnershipId, language), "Alerts.Back"), null, null, language);
        }

        Meeting? meeting = null;
        if (meetingId is not null && (meeting = await stores.Attendance.GetMeetingAsync(partnershipId, meetingId, ct)) is null)
        {
            return (DashboardPages.Message(request, language, time, StatusCodes.Status404NotFound, "NotFound.Title", "Participant.NoMeeting", DashboardPaths.Partnership(partnershipId, language), "Alerts.Back"), null, null, language);
        }

        if (post && (!request.HasFormContentType || !await antiforgery.IsRequestValidAsync(request.HttpContext)))
        {
            return (DashboardPages.Message(request, language, time, StatusCodes.Status400BadRequest, "Actions.Expired", "Actions.ExpiredText", DashboardPaths.Partnership(partnershipId, language), "Alerts.Back"), null, null, language);
        }

        return (null, partnership, meeting, language);
    }

    private (string Name, string Value) Tokens(HttpRequest request)
    {
        var tokens = antiforgery.GetAndStoreTokens(request.HttpContext);
        return (tokens.FormFieldName, tokens.RequestToken!);
    }

    private IResult Page<TComponent>(HttpRequest request, PartnershipLanguage language, object parameters)
        where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Context"] = PageContext.For(request, language, time) };
        foreach (var property in parameters.GetType().GetProperties())
        {
            values[property.Name] = property.GetValue(parameters);
        }

        return new PageResult<TComponent>(language, values);
    }
}
