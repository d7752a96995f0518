using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Dashboard;
using Engagement.Functions.FollowUpSheets.Components;
using Engagement.Functions.Participants;

namespace Engagement.Functions.FollowUpSheets;

/// <summary>
/// The follow-up sheet's page, answered without an account: the link in the representative's e-mail is signed for one
/// request (an action, its lead organisation, a round) and one representative, until the round's links expire. As on
/// the other participants' pages, every request is counted against its client address, then its link is checked (a
/// tampered or incomplete link is refused, an expired one says so, nothing is stored either way) and counted against
/// the link's allowance; a refusal is a page in the page's language.
/// </summary>
/// <remarks>
/// Cross-site request forgery: as for the other participants' forms, the post carries no cookie or ambient
/// credential; what authorises it is the signed address it is sent to, which a forging site would have to hold
/// already. What a post can do is bounded by the link (one sheet, until its expiry), the rate limits, and idempotency:
/// the answer's id derives from the request, and a request keeps its first answer, so a double submit stores once.
/// </remarks>
internal sealed partial class FollowUpSheetPages(
    ParticipantLinks links,
    ParticipantRateLimiter limiter,
    ParticipantReplies replies,
    IPartnershipStore partnershipStore,
    IRosterStore rosterStore,
    IActionPlanStore planStore,
    TimeProvider time,
    ILogger<FollowUpSheetPages> logger)
{
    /// <summary>The longest text a sheet's answer takes in each of its three boxes.</summary>
    public const int MaxText = 2_000;

    /// <summary>What a valid link opened: the request, its action, the representative, and the page's language.</summary>
    private sealed record Opened(ParticipantLink Link, ActionPlan Plan, FollowUpRequest Request, Roster Roster, SheetAction Sheet, PartnershipLanguage Language);

    public async Task<IResult> PageAsync(HttpRequest request, CancellationToken ct)
    {
        var (refusal, opened) = await OpenAsync(request, ct);
        if (opened is null)
        {
            return refusal!;
        }

        if (opened.Request.AnsweredAt is not null)
        {
            return Answered(request, opened, justNow: false, StatusCodes.Status200OK);
        }

        return replies.Page<FollowUpSheetPage>(request, opened.Language, new { Model = Sheet(request, opened) });
    }

    public async Task<IResult> AnswerAsync(HttpRequest request, CancellationToken ct)
    {
        var (refusal, opened) = await OpenAsync(request, ct);
        if (opened is null)
        {
            return refusal!;
        }

        if (opened.Request.AnsweredAt is not null)
        {
            return AnsweredBefore(request, opened);
        }

        if (await ParticipantReplies.ReadFormAsync(request, ct) is not { } posted)
        {
            return replies.Message(request, opened.Language, StatusCodes.Status400BadRequest, "Participant.BadPost", "Participant.BadPostText");
        }

        var (status, answer, problems) = Read(posted);
        if (problems.Count > 0)
        {
            return replies.Page<FollowUpSheetPage>(request, opened.Language, new { Model = Sheet(request, opened) with { Posted = answer, Problems = problems } }, StatusCodes.Status400BadRequest);
        }

        var update = new ActionUpdate
        {
            PartnershipId = opened.Plan.PartnershipId,
            ActionId = opened.Request.ActionId,
            Id = UpdateId(opened.Request),
            At = time.GetUtcNow(),
            Status = status!.Value,
            Source = ActionUpdateSource.Sheet,
            OrganizationId = opened.Request.OrganizationId,
            PersonId = opened.Link.PersonId,
            Done = answer.Done,
            Obstacles = answer.Obstacles,
            HelpNeeded = answer.HelpNeeded,
        };
        await planStore.AnswerAsync(update, opened.Request.Id, ct);
        LogAnswered(logger, update.PartnershipId, update.ActionId, WireNames.Format(update.Status));

        // Read back: a colleague's answer may have been stored first, and the request keeps the first.
        var plan = await planStore.GetPlanAsync(update.PartnershipId, ct);
        var stored = plan.Requests.Single(r => r.Id == opened.Request.Id);
        return AnsweredBefore(request, opened with { Plan = plan, Request = stored });
    }

    /// <summary>The id of a request's answer: the same sheet sent twice is one update.</summary>
    public static string UpdateId(FollowUpRequest request) => "sheet." + request.Id;

    /// <summary>
    /// A post to a sheet that has its answer: thanks when it is this representative's (a double submit lands here too),
    /// else a 409 page saying who answered first and what.
    /// </summary>
    private IResult AnsweredBefore(HttpRequest request, Opened opened)
    {
        var mine = opened.Plan.Updates.FirstOrDefault(u => u.Id == opened.Request.UpdateId)?.PersonId == opened.Link.PersonId;
        return Answered(request, opened, justNow: mine, mine ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
    }

    private IResult Answered(HttpRequest request, Opened opened, bool justNow, int status)
    {
        var answer = opened.Plan.Updates.FirstOrDefault(u => u.Id == opened.Request.UpdateId);
        var by = answer?.PersonId is { } personId ? opened.Roster.People.FirstOrDefault(p => p.Id == personId && p.ErasedAt is null)?.DisplayName : null;
        var model = new SheetAnsweredModel
        {
            Sheet = opened.Sheet,
            Answer = answer,
            AnsweredAt = opened.Request.AnsweredAt!.Value,
            AnsweredBy = by ?? opened.Sheet.OrganizationName,
            JustNow = justNow,
        };
        return replies.Page<SheetAnsweredPage>(request, opened.Language, new { Model = model }, status);
    }

    private SheetModel Sheet(HttpRequest request, Opened opened) => new()
    {
        Sheet = opened.Sheet,
        Latest = ActionProgress.At(opened.Plan, time.GetUtcNow()).FirstOrDefault(s => s.Action.Id == opened.Request.ActionId)?.Latest,
        PostAction = $"{request.PathBase}{request.Path}?{links.Query(opened.Link)}&lang={PageLanguages.Code(opened.Language)}",
    };

    /// <summary>
    /// Checks the rate limits and the link, then reads what it opens: the partnership, its request, the request's action
    /// and the representative the link was sent to (not erased). Answers a page for whatever fails.
    /// </summary>
    private async Task<(IResult? Refusal, Opened? Opened)> OpenAsync(HttpRequest request, CancellationToken ct)
    {
        var chosen = PageLanguages.Chosen(request);
        var language = chosen ?? PartnershipLanguage.French;
        if (!limiter.TryAddress(ClientAddress.Of(request)))
        {
            return (replies.TooMany(request, language), null);
        }

        var (status, link) = links.Read(LinkPurpose.FollowUp, request.Query, time.GetUtcNow());
        if (status == LinkStatus.Invalid)
        {
            LogInvalidLink(logger, request.Path.ToString());
            return (replies.Message(request, language, StatusCodes.Status403Forbidden, "Participant.InvalidLink", "Sheet.InvalidLinkText"), null);
        }

        if (!limiter.TryLink(link!))
        {
            return (replies.TooMany(request, language), null);
        }

        if (status == LinkStatus.Expired)
        {
            return (replies.Message(request, language, StatusCodes.Status410Gone, "Participant.ExpiredLink", "Sheet.ExpiredLinkText"), null);
        }

        var partnership = await partnershipStore.GetPartnershipAsync(link!.PartnershipId, ct);
        if (partnership is null)
        {
            return (NotFound(request, language), null);
        }

        var plan = await planStore.GetPlanAsync(partnership.Id, ct);
        var asked = plan.Requests.FirstOrDefault(r => r.Id == link.RequestId);
        var action = asked is null ? null : plan.Actions.FirstOrDefault(a => a.Id == asked.ActionId);
        var roster = await rosterStore.GetRosterAsync(partnership.Id, ct);
        var person = roster.People.FirstOrDefault(p => p.Id == link.PersonId && p.ErasedAt is null);
        if (asked is null || action is null || person is null)
        {
            return (NotFound(request, chosen ?? partnership.Language), null);
        }

        var names = roster.Organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        var sheet = new SheetAction(
            partnership.Name,
            names.GetValueOrDefault(asked.OrganizationId, asked.OrganizationId),
            person.DisplayName ?? string.Empty,
            action,
            plan.Objectives.FirstOrDefault(o => o.Id == action.ObjectiveId)?.Title,
            [.. action.PartnerOrganizationIds.Where(id => id != asked.OrganizationId).Select(id => names.GetValueOrDefault(id, id))],
            asked.Round,
            link.ExpiresAt);
        return (null, new Opened(link, plan, asked, roster, sheet, chosen ?? partnership.Language));
    }

    private IResult NotFound(HttpRequest request, PartnershipLanguage language) =>
        replies.Message(request, language, StatusCodes.Status404NotFound, "Participant.NotFound", "Sheet.NotFoundText");

    /// <summary>
    /// The answer a posted sheet holds: a status (one of the five, by its wire name) and three optional texts of at most
    /// <see cref="MaxText"/> characters without control characters (line breaks and tabs aside). Problems are keyed by
    /// field, each with the key of its sentence.
    /// </summary>
    internal static (ActionStatus? Status, SheetAnswer Answer, Dictionary<string, string> Problems) Read(IFormCollection posted)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var statusText = posted["status"].ToString().Trim();
        ActionStatus? status = Enum.GetValues<ActionStatus>().Where(s => WireNames.Format(s) == statusText).Select(s => (ActionStatus?)s).FirstOrDefault();
        if (status is null)
        {
            problems["status"] = statusText.Length == 0 ? "Sheet.Problem.NoStatus" : "Sheet.Problem.BadStatus";
        }

        string? Text(string field)
        {
            var value = posted[field].ToString().Trim().ReplaceLineEndings("\n");
            if (value.Length > MaxText)
            {
                problems[field] = "Sheet.Problem.TooLong";
            }
            else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
            {
                problems[field] = "Sheet.Problem.BadText";
            }

            return value.Length == 0 ? null : value;
        }

        var answer = new SheetAnswer(statusText.Length == 0 ? null : statusText, Text("done"), Text("obstacles"), Text("help"));
        return (status, answer, problems);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Follow-up sheet of action {ActionId} of partnership {PartnershipId} answered: {Status}")]
    private static partial void LogAnswered(ILogger logger, string partnershipId, string actionId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A follow-up sheet's link was refused at {Path}: tampered with or incomplete")]
    private static partial void LogInvalidLink(ILogger logger, string path);
}
