using System.Globalization;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Participants.Components;
using Engagement.Functions.Privacy;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Participants;

/// <summary>
/// The participants' pages, answered without an account: the signed link is the credential. Every request is first
/// counted against its client address, then its link is checked (a tampered or incomplete link is refused, an expired
/// one says so, and nothing is stored either way) and counted against the link's allowance. A refusal is a page in the
/// page's language, never an error document.
/// </summary>
/// <remarks>
/// Cross-site request forgery: these forms carry no cookie, no session and no ambient credential of any kind — what
/// authorises a post is the signed query string it is sent to, which a forging site would have to hold already, and
/// holding it is all a participant needs anyway. So a forged post can do nothing its author could not do directly, and
/// SameSite rules do not matter here. What a post can do is bounded by the link (one meeting or one form, until its
/// expiry), by the rate limits, and by idempotency (a person signs in once; a respondent's answer is one submission).
/// </remarks>
internal sealed partial class ParticipantPages(
    ParticipantLinks links,
    ParticipantRateLimiter limiter,
    ParticipantReplies replies,
    IPartnershipStore partnershipStore,
    IRosterStore rosterStore,
    IAttendanceStore attendanceStore,
    IFormStore formStore,
    SignInService signIns,
    ParticipantForms forms,
    IOptions<PrivacyOptions> privacy,
    TimeProvider time,
    ILogger<ParticipantPages> logger)
{
    /// <summary>What a valid link opened.</summary>
    private sealed record Opened(ParticipantLink Link, Partnership Partnership, Meeting? Meeting, FormDefinition? Form, PartnershipLanguage Language);

    public async Task<IResult> SignInPageAsync(HttpRequest request, CancellationToken ct)
    {
        var (refusal, opened) = await OpenAsync(request, LinkPurpose.SignIn, ct);
        if (opened is null)
        {
            return refusal!;
        }

        if (await SignInClosedAsync(request, opened, ct) is { } closed)
        {
            return closed;
        }

        var who = await PickAsync(request, opened, request.Query["o"].FirstOrDefault(), ct);
        return who.Organization is null
            ? Page<PickOrganizationPage>(request, opened.Language, new { Model = who })
            : Page<SignInNamePage>(request, opened.Language, new { Model = who });
    }

    public async Task<IResult> SignInAsync(HttpRequest request, CancellationToken ct)
    {
        var (refusal, opened) = await OpenAsync(request, LinkPurpose.SignIn, ct);
        if (opened is null)
        {
            return refusal!;
        }

        if (await SignInClosedAsync(request, opened, ct) is { } closed)
        {
            return closed;
        }

        if (await ParticipantReplies.ReadFormAsync(request, ct) is not { } posted)
        {
            return Message(request, opened.Language, StatusCodes.Status400BadRequest, "Participant.BadPost", "Participant.BadPostText");
        }

        var (organizationId, personId, typedName) = (posted["o"].ToString(), posted["person"].ToString(), posted["name"].ToString());
        var (respondent, problem) = await signIns.SignInAsync(opened.Meeting!, organizationId, personId, typedName, ct);
        if (respondent is null)
        {
            var who = await PickAsync(request, opened, organizationId, ct) with { Problem = problem, PersonId = personId, TypedName = typedName };
            return who.Organization is null
                ? Page<PickOrganizationPage>(request, opened.Language, new { Model = who }, StatusCodes.Status400BadRequest)
                : Page<SignInNamePage>(request, opened.Language, new { Model = who }, StatusCodes.Status400BadRequest);
        }

        LogSignedIn(logger, opened.Partnership.Id, opened.Meeting!.Id, respondent.NewName);
        return Page<SignInDonePage>(request, opened.Language, new { Heading = Heading(opened), Name = respondent.Name, Organization = respondent.OrganizationName, NewName = respondent.NewName });
    }

    public async Task<IResult> FeedbackPageAsync(HttpRequest request, CancellationToken ct)
    {
        var (refusal, opened) = await OpenAsync(request, LinkPurpose.Feedback, ct);
        if (opened is null)
        {
            return refusal!;
        }

        var who = await PickAsync(request, opened, request.Query["o"].FirstOrDefault(), ct);
        return who.Organization is null
            ? Page<PickOrganizationPage>(request, opened.Language, new { Model = who })
            : Page<FeedbackPage>(request, opened.Language, new { Model = new FeedbackModel { Who = who, Questions = opened.Form!.Questions!, OpenedAt = time.GetUtcNow().ToUnixTimeSeconds() } });
    }

    public async Task<IResult> FeedbackAsync(HttpRequest request, CancellationToken ct)
    {
        var (refusal, opened) = await OpenAsync(request, LinkPurpose.Feedback, ct);
        if (opened is null)
        {
            return refusal!;
        }

        if (await ParticipantReplies.ReadFormAsync(request, ct) is not { } posted)
        {
            return Message(request, opened.Language, StatusCodes.Status400BadRequest, "Participant.BadPost", "Participant.BadPostText");
        }

        var form = opened.Form!;
        var (answers, missing, invalid) = ParticipantForms.ReadFeedback(form, posted);
        var openedAt = OpenedAt(posted);
        var (respondent, problem) = missing.Count + invalid.Count == 0
            ? await Resolve(opened, posted, Fmt.DayOf(opened.Meeting!.Start), ct)
            : (null, PickProblem.None);
        if (respondent is null)
        {
            var who = await PickAsync(request, opened, posted["o"].ToString(), ct) with { Problem = problem, PersonId = posted["person"].ToString(), TypedName = posted["name"].ToString() };
            var model = new FeedbackModel
            {
                Who = who,
                Questions = form.Questions!,
                OpenedAt = openedAt ?? time.GetUtcNow().ToUnixTimeSeconds(),
                Posted = (form.Questions ?? []).ToDictionary(q => q.Key, q => posted["q." + q.Key].ToString(), StringComparer.Ordinal),
                Missing = missing,
                Invalid = invalid,
            };
            return who.Organization is null
                ? Page<PickOrganizationPage>(request, opened.Language, new { Model = who }, StatusCodes.Status400BadRequest)
                : Page<FeedbackPage>(request, opened.Language, new { Model = model }, StatusCodes.Status400BadRequest);
        }

        await forms.SubmitAsync(form, opened.Meeting!.Id, respondent, answers, openedAt, ct);
        return Page<FormDonePage>(request, opened.Language, new { Heading = Heading(opened), Name = respondent.Name, Diagnostic = false });
    }

    public async Task<IResult> DiagnosticPageAsync(HttpRequest request, CancellationToken ct)
    {
        var (refusal, opened) = await OpenAsync(request, LinkPurpose.Diagnostic, ct);
        if (opened is null)
        {
            return refusal!;
        }

        var who = await PickAsync(request, opened, request.Query["o"].FirstOrDefault(), ct);
        return who.Organization is null
            ? Page<PickOrganizationPage>(request, opened.Language, new { Model = who })
            : Page<DiagnosticPage>(request, opened.Language, new { Model = new DiagnosticModel { Who = who, OpenedAt = time.GetUtcNow().ToUnixTimeSeconds(), ValidUntil = opened.Link.ExpiresAt } });
    }

    public async Task<IResult> DiagnosticAsync(HttpRequest request, CancellationToken ct)
    {
        var (refusal, opened) = await OpenAsync(request, LinkPurpose.Diagnostic, ct);
        if (opened is null)
        {
            return refusal!;
        }

        if (await ParticipantReplies.ReadFormAsync(request, ct) is not { } posted)
        {
            return Message(request, opened.Language, StatusCodes.Status400BadRequest, "Participant.BadPost", "Participant.BadPostText");
        }

        var (answers, missing) = ParticipantForms.ReadDiagnostic(ParticipantForms.ItemKeys(opened.Form!)!, posted);
        var openedAt = OpenedAt(posted);
        var (respondent, problem) = missing.Count == 0
            ? await Resolve(opened, posted, Fmt.DayOf(time.GetUtcNow()), ct)
            : (null, PickProblem.None);
        if (respondent is null)
        {
            var who = await PickAsync(request, opened, posted["o"].ToString(), ct) with { Problem = problem, PersonId = posted["person"].ToString(), TypedName = posted["name"].ToString() };
            var model = new DiagnosticModel
            {
                Who = who,
                OpenedAt = openedAt ?? time.GetUtcNow().ToUnixTimeSeconds(),
                ValidUntil = opened.Link.ExpiresAt,
                Posted = Enumerable.Range(1, Cacis.ItemCount).ToDictionary(i => i, i => posted["item" + i.ToString(CultureInfo.InvariantCulture)].ToString()),
                Missing = missing,
            };
            return who.Organization is null
                ? Page<PickOrganizationPage>(request, opened.Language, new { Model = who }, StatusCodes.Status400BadRequest)
                : Page<DiagnosticPage>(request, opened.Language, new { Model = model }, StatusCodes.Status400BadRequest);
        }

        await forms.SubmitAsync(opened.Form!, null, respondent, answers, openedAt, ct);
        return Page<FormDonePage>(request, opened.Language, new { Heading = Heading(opened), Name = respondent.Name, Diagnostic = true });
    }

    /// <summary>The privacy notice (Quebec's Law 25): what is kept, for how long, who sees it. Open to all, in both languages.</summary>
    public IResult PrivacyPage(HttpRequest request)
    {
        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        if (!limiter.TryAddress(ClientAddress.Of(request)))
        {
            return TooMany(request, language);
        }

        return Page<PrivacyPage>(request, language, new { RetentionMonths = privacy.Value.RetentionMonths });
    }

    /// <summary>
    /// Checks the rate limits and the link, then reads what it opens: the partnership, the meeting (not cancelled), the
    /// form (of that partnership, with questions for feedback, with the 18 items for a diagnostic). Answers a page for
    /// whatever fails.
    /// </summary>
    private async Task<(IResult? Refusal, Opened? Opened)> OpenAsync(HttpRequest request, LinkPurpose purpose, CancellationToken ct)
    {
        var chosen = PageLanguages.Chosen(request);
        var language = chosen ?? PartnershipLanguage.French;
        if (!limiter.TryAddress(ClientAddress.Of(request)))
        {
            return (TooMany(request, language), null);
        }

        var (status, link) = links.Read(purpose, request.Query, time.GetUtcNow());
        if (status == LinkStatus.Invalid)
        {
            LogInvalidLink(logger, purpose, request.Path.ToString());
            return (Message(request, language, StatusCodes.Status403Forbidden, "Participant.InvalidLink", "Participant.InvalidLinkText"), null);
        }

        if (!limiter.TryLink(link!))
        {
            return (TooMany(request, language), null);
        }

        if (status == LinkStatus.Expired)
        {
            return (Message(request, language, StatusCodes.Status410Gone, "Participant.ExpiredLink", purpose == LinkPurpose.SignIn ? "Participant.SignInOver" : "Participant.ExpiredLinkText"), null);
        }

        var partnership = await partnershipStore.GetPartnershipAsync(link!.PartnershipId, ct);
        var meeting = partnership is null || link.MeetingId is null ? null : await attendanceStore.GetMeetingAsync(partnership.Id, link.MeetingId, ct);
        var form = partnership is null || link.FormId is null ? null : await formStore.GetFormAsync(link.FormId, ct);
        var found = partnership is not null
            && (link.MeetingId is null || meeting is { Cancelled: false })
            && (link.FormId is null || (form is not null && form.PartnershipId == partnership.Id))
            && purpose switch
            {
                LinkPurpose.Feedback => form is { Kind: not FormKind.Diagnostic, Questions.Count: > 0 },
                LinkPurpose.Diagnostic => ParticipantForms.ItemKeys(form!) is not null,
                _ => true,
            };
        if (!found)
        {
            return (Message(request, language, StatusCodes.Status404NotFound, "Participant.NotFound", "Participant.NotFoundText"), null);
        }

        return (null, new Opened(link, partnership!, meeting, form, chosen ?? partnership!.Language));
    }

    /// <summary>A page when the meeting's sign-in is not open (too early, over, or closed by the coordinator), else null.</summary>
    private async Task<IResult?> SignInClosedAsync(HttpRequest request, Opened opened, CancellationToken ct)
    {
        var meeting = opened.Meeting!;
        return await signIns.StateAsync(meeting, ct) switch
        {
            SignInState.NotYetOpen => Message(request, opened.Language, StatusCodes.Status403Forbidden, "Participant.NotYetOpen", "Participant.NotYetOpenText", Time(signIns.Window(meeting).From, opened.Language)),
            SignInState.Over => Message(request, opened.Language, StatusCodes.Status410Gone, "Participant.ExpiredLink", "Participant.SignInOver"),
            SignInState.Closed => Message(request, opened.Language, StatusCodes.Status410Gone, "Participant.SignInClosed", "Participant.SignInClosedText"),
            _ => null,
        };
    }

    private async Task<PickModel> PickAsync(HttpRequest request, Opened opened, string? organizationId, CancellationToken ct)
    {
        var day = opened.Meeting is { } meeting ? Fmt.DayOf(meeting.Start) : Fmt.DayOf(time.GetUtcNow());
        var organizations = ParticipantRoster.On(await rosterStore.GetRosterAsync(opened.Partnership.Id, ct), day, opened.Language);
        return new PickModel
        {
            Purpose = opened.Link.Purpose,
            Heading = Heading(opened),
            Action = $"{request.PathBase}{request.Path}?{links.Query(opened.Link)}&lang={PageLanguages.Code(opened.Language)}",
            Organizations = organizations,
            Organization = organizations.FirstOrDefault(o => o.Id == organizationId),
        };
    }

    private Task<(Respondent? Respondent, PickProblem Problem)> Resolve(Opened opened, IFormCollection posted, DateOnly day, CancellationToken ct) =>
        ParticipantRoster.ResolveAsync(opened.Partnership.Id, posted["o"].ToString(), posted["person"] is { Count: 1 } p && p[0] != "other" ? p[0] : null, posted["name"].ToString(), day, rosterStore, links, ct);

    private static ParticipantHeading Heading(Opened opened) =>
        new(opened.Partnership.Name, opened.Meeting?.Title ?? opened.Form?.Title, opened.Meeting?.Start);

    private static long? OpenedAt(IFormCollection posted) =>
        long.TryParse(posted["t"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;

    private static string Time(DateTimeOffset instant, PartnershipLanguage language)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = PageLanguages.Culture(language);
        try
        {
            return ParticipantFormat.When(instant);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private IResult TooMany(HttpRequest request, PartnershipLanguage language) => replies.TooMany(request, language);

    private IResult Message(HttpRequest request, PartnershipLanguage language, int status, string heading, string text, string? argument = null) =>
        replies.Message(request, language, status, heading, text, argument);

    private IResult Page<TComponent>(HttpRequest request, PartnershipLanguage language, object parameters, int status = StatusCodes.Status200OK)
        where TComponent : Microsoft.AspNetCore.Components.IComponent =>
        replies.Page<TComponent>(request, language, parameters, status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed in at meeting {MeetingId} of partnership {PartnershipId} (typed name: {NewName})")]
    private static partial void LogSignedIn(ILogger logger, string partnershipId, string meetingId, bool newName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A participant's {Purpose} link was refused at {Path}: tampered with or incomplete")]
    private static partial void LogInvalidLink(ILogger logger, LinkPurpose purpose, string path);
}
