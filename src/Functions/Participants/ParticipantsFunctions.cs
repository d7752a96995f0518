using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.OpenApi;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Participants;

/// <summary>
/// The participants' pages (sign-in at the door of an in-person meeting, a meeting's feedback, the CACIS diagnostic),
/// reached without an account by a signed link; the coordinator's API that hands those links out and closes a sign-in;
/// the coordinator's pages under the dashboard (QR code and live sheet, closing, opening a diagnostic).
/// </summary>
[Tags("Participants")]
internal sealed class ParticipantsFunctions(
    ParticipantPages pages,
    CoordinatorPages coordinator,
    SignInService signIns,
    ParticipantForms forms,
    ParticipantLinks links,
    IPartnershipStore partnershipStore,
    IAttendanceStore attendanceStore,
    ISignInStore signInStore)
{
    // ---- participants: anonymous, the signed link is the credential ----

    [Function("ParticipantSignInPage")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> SignInPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sign-in")] HttpRequest request, CancellationToken cancellationToken) =>
        pages.SignInPageAsync(request, cancellationToken);

    [Function("ParticipantSignIn")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> SignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sign-in")] HttpRequest request, CancellationToken cancellationToken) =>
        pages.SignInAsync(request, cancellationToken);

    [Function("ParticipantFeedbackPage")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> FeedbackPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "feedback")] HttpRequest request, CancellationToken cancellationToken) =>
        pages.FeedbackPageAsync(request, cancellationToken);

    [Function("ParticipantFeedback")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> Feedback([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feedback")] HttpRequest request, CancellationToken cancellationToken) =>
        pages.FeedbackAsync(request, cancellationToken);

    [Function("ParticipantDiagnosticPage")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> DiagnosticPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "diagnostic")] HttpRequest request, CancellationToken cancellationToken) =>
        pages.DiagnosticPageAsync(request, cancellationToken);

    [Function("ParticipantDiagnostic")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> Diagnostic([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "diagnostic")] HttpRequest request, CancellationToken cancellationToken) =>
        pages.DiagnosticAsync(request, cancellationToken);

    [Function("ParticipantPrivacy")]
    [Access(AccessPolicy.Anonymous)]
    [ExcludeFromDescription]
    public IResult Privacy([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "participants/privacy")] HttpRequest request) =>
        pages.PrivacyPage(request);

    // ---- the coordinator's API ----

    [Function("GetSignInLink")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [EndpointSummary("The meeting's sign-in link for participants (to show as a QR code or print), with when it works.")]
    public Task<Ok<ParticipantLinkView>> SignInLink(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/meetings/{meetingId}/sign-in")] HttpRequest request, string partnershipId, string meetingId, CancellationToken cancellationToken) =>
        ParticipantsApi.SignInLinkAsync(request, partnershipId, meetingId, attendanceStore, signInStore, signIns, links, cancellationToken);

    [Function("GetSignInSheet")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [EndpointSummary("Who signed in at the meeting (typed names to confirm, second people for one organisation flagged) and who has not.")]
    public Task<Ok<SignInSheetView>> Sheet(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/meetings/{meetingId}/sign-ins")] HttpRequest request, string partnershipId, string meetingId, CancellationToken cancellationToken) =>
        ParticipantsApi.SheetAsync(partnershipId, meetingId, attendanceStore, signIns, Dashboard.PageLanguages.Chosen(request) ?? PartnershipLanguage.French, cancellationToken);

    [Function("CloseSignIn")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [Accepts(typeof(CloseSignInInput), "application/json")]
    [EndpointSummary("Closes the meeting's sign-in: every representative without an attendance record is marked absent, or excused when listed in 'excused'.")]
    public Task<Ok<CloseSignInView>> Close(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/meetings/{meetingId}/sign-in/close")] HttpRequest request, string partnershipId, string meetingId, CancellationToken cancellationToken) =>
        ParticipantsApi.CloseAsync(request, partnershipId, meetingId, attendanceStore, signIns, cancellationToken);

    [Function("ConfirmSignIn")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [EndpointSummary("Confirms a name typed at the sign-in: the person represents the organisation they signed in for, from the meeting's day.")]
    public Task<Ok<ConfirmSignInView>> Confirm(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/meetings/{meetingId}/sign-ins/{personId}/confirm")] HttpRequest request, string partnershipId, string meetingId, string personId, CancellationToken cancellationToken) =>
        ParticipantsApi.ConfirmAsync(partnershipId, meetingId, personId, attendanceStore, signIns, cancellationToken);

    [Function("GetFeedbackLink")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [EndpointSummary("The meeting's feedback link for participants (?formId= when the partnership has several forms with questions).")]
    public Task<Ok<ParticipantLinkView>> FeedbackLink(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/meetings/{meetingId}/feedback-link")] HttpRequest request, string partnershipId, string meetingId, CancellationToken cancellationToken) =>
        ParticipantsApi.FeedbackLinkAsync(request, partnershipId, meetingId, attendanceStore, forms, links, cancellationToken);

    [Function("OpenDiagnostic")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [Accepts(typeof(OpenDiagnosticInput), "application/json")]
    [EndpointSummary("Opens the 18-item CACIS diagnostic for the partnership's participants until a day: registers its form and answers its link.")]
    public Task<Ok<ParticipantLinkView>> OpenDiagnostic(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/diagnostics")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        ParticipantsApi.OpenDiagnosticAsync(request, partnershipId, partnershipStore, forms, links, cancellationToken);

    // ---- the coordinator's pages, under the dashboard (its session cookie) ----

    [Function("DashboardMeetingSignIn")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> MeetingSignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/meetings/{meetingId}/sign-in")] HttpRequest request, string partnershipId, string meetingId, CancellationToken cancellationToken) =>
        coordinator.MeetingSignInAsync(request, partnershipId, meetingId, cancellationToken);

    [Function("DashboardCloseSignInPage")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> CloseSignInPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/meetings/{meetingId}/sign-in/close")] HttpRequest request, string partnershipId, string meetingId, CancellationToken cancellationToken) =>
        coordinator.CloseSignInPageAsync(request, partnershipId, meetingId, cancellationToken);

    [Function("DashboardCloseSignIn")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> CloseSignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/partnerships/{partnershipId}/meetings/{meetingId}/sign-in/close")] HttpRequest request, string partnershipId, string meetingId, CancellationToken cancellationToken) =>
        coordinator.CloseSignInAsync(request, partnershipId, meetingId, cancellationToken);

    [Function("DashboardConfirmSignIn")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> ConfirmSignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/partnerships/{partnershipId}/meetings/{meetingId}/sign-ins/{personId}/confirm")] HttpRequest request, string partnershipId, string meetingId, string personId, CancellationToken cancellationToken) =>
        coordinator.ConfirmAsync(request, partnershipId, meetingId, personId, cancellationToken);

    [Function("DashboardDiagnostic")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> DiagnosticAdmin(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/diagnostic")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        coordinator.DiagnosticPageAsync(request, partnershipId, cancellationToken);

    [Function("DashboardOpenDiagnostic")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> OpenDiagnosticFromDashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/partnerships/{partnershipId}/diagnostic")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        coordinator.OpenDiagnosticAsync(request, partnershipId, cancellationToken);
}
