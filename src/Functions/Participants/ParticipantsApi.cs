using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Participants;

/// <summary>A signed link for participants: where it opens and when it works.</summary>
internal sealed record ParticipantLinkView(string Url, DateTimeOffset? ValidFrom, DateTimeOffset ValidUntil, string? FormId = null, DateTimeOffset? ClosedAt = null);

/// <summary>A meeting's sign-in sheet.</summary>
internal sealed record SignInSheetView(string MeetingId, DateTimeOffset? ClosedAt, IReadOnlyList<SignInLineView> SignIns, IReadOnlyList<PersonLineView> NotSignedIn);

internal sealed record SignInLineView(string PersonId, string Name, string OrganizationId, string OrganizationName, DateTimeOffset SignedInAt, bool NewName, bool ToConfirm, bool SecondForOrganization);

internal sealed record PersonLineView(string PersonId, string Name);

/// <summary>Closing a sign-in: who is excused (person ids); every other representative without a record is absent.</summary>
internal sealed record CloseSignInInput(IReadOnlyList<string?>? Excused);

internal sealed record CloseSignInView(int Absent, int Excused, DateTimeOffset ClosedAt);

internal sealed record ConfirmSignInView(string RepresentationId);

/// <summary>Opening a CACIS diagnostic: its form id (default <c>cacis-yyyymmdd-{partnership}</c>), its last day, its title.</summary>
internal sealed record OpenDiagnosticInput(string? FormId, string? Until, string? Title);

/// <summary>The coordinator's API of the participants' pages: the handlers of <see cref="ParticipantsFunctions"/>.</summary>
internal static class ParticipantsApi
{
    /// <summary>The participants' pages: their settings (the link key required outside Development), links, rate limits, services.</summary>
    public static IHostApplicationBuilder AddParticipants(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ParticipantOptions>().BindConfiguration(ParticipantOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ParticipantLinkKey>();
        builder.Services.AddSingleton<IPostConfigureOptions<ParticipantOptions>>(services => services.GetRequiredService<ParticipantLinkKey>());
        builder.Services.AddSingleton<IValidateOptions<ParticipantOptions>>(services => services.GetRequiredService<ParticipantLinkKey>());
        builder.Services.AddSingleton<ParticipantLinks>();
        builder.Services.AddSingleton<ParticipantRateLimiter>();
        builder.Services.AddSingleton<ParticipantReplies>();
        builder.Services.AddScoped<SignInService>();
        builder.Services.AddScoped<ParticipantForms>();
        builder.Services.AddScoped<ParticipantPages>();
        builder.Services.AddScoped<CoordinatorPages>();
        return builder;
    }

    public static async Task<Ok<ParticipantLinkView>> SignInLinkAsync(HttpRequest request, string partnershipId, string meetingId, IAttendanceStore attendanceStore, ISignInStore signInStore, SignInService signIns, ParticipantLinks links, CancellationToken ct)
    {
        var meeting = await MeetingAsync(partnershipId, meetingId, attendanceStore, ct);
        var (from, until) = signIns.Window(meeting);
        var closedAt = (await signInStore.GetSheetAsync(partnershipId, meetingId, ct)).ClosedAt;
        return TypedResults.Ok(new ParticipantLinkView(links.Url(request, signIns.Link(meeting)), from, until, ClosedAt: closedAt));
    }

    public static async Task<Ok<SignInSheetView>> SheetAsync(string partnershipId, string meetingId, IAttendanceStore attendanceStore, SignInService signIns, PartnershipLanguage language, CancellationToken ct)
    {
        var meeting = await MeetingAsync(partnershipId, meetingId, attendanceStore, ct);
        var sheet = await signIns.ReadSheetAsync(meeting, language, ct);
        return TypedResults.Ok(new SignInSheetView(
            meetingId,
            sheet.ClosedAt,
            [.. sheet.Lines.Select(l => new SignInLineView(l.PersonId, l.Name, l.OrganizationId, l.OrganizationName, l.SignedInAt, l.NewName, l.ToConfirm, l.SecondForOrganization))],
            [.. sheet.NotSignedIn.Select(p => new PersonLineView(p.Id, p.Name))]));
    }

    public static async Task<Ok<CloseSignInView>> CloseAsync(HttpRequest request, string partnershipId, string meetingId, IAttendanceStore attendanceStore, SignInService signIns, CancellationToken ct)
    {
        var meeting = await MeetingAsync(partnershipId, meetingId, attendanceStore, ct);
        var input = NoBody(request) ? null : await RequestBody.ReadJsonAsync<CloseSignInInput>(request, RequestBody.SmallLimit, ct);
        var excused = input?.Excused ?? [];
        var errors = new ValidationErrors();
        for (var i = 0; i < excused.Count; i++)
        {
            Check.Id(excused[i], $"excused[{i}]", errors);
        }

        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var (absent, excusedCount, closedAt) = await signIns.CloseAsync(meeting, [.. excused.Select(e => e!).Distinct(StringComparer.Ordinal)], ct);
        return TypedResults.Ok(new CloseSignInView(absent, excusedCount, closedAt));
    }

    public static async Task<Ok<ConfirmSignInView>> ConfirmAsync(string partnershipId, string meetingId, string personId, IAttendanceStore attendanceStore, SignInService signIns, CancellationToken ct)
    {
        var meeting = await MeetingAsync(partnershipId, meetingId, attendanceStore, ct);
        var representation = await signIns.ConfirmAsync(meeting, personId, ct)
            ?? throw new NotFoundException("personId", $"Nobody signed in at meeting '{meetingId}' with a typed name as '{Check.Shorten(personId)}'.");
        return TypedResults.Ok(new ConfirmSignInView(representation));
    }

    public static async Task<Ok<ParticipantLinkView>> FeedbackLinkAsync(HttpRequest request, string partnershipId, string meetingId, IAttendanceStore attendanceStore, ParticipantForms forms, ParticipantLinks links, CancellationToken ct)
    {
        var meeting = await MeetingAsync(partnershipId, meetingId, attendanceStore, ct);
        var candidates = await forms.FeedbackFormsAsync(partnershipId, ct);
        var formId = request.Query["formId"].FirstOrDefault();
        var form = formId is null
            ? candidates.Count == 1 ? candidates[0] : throw Problem("formId", candidates.Count == 0
                ? $"Partnership '{partnershipId}' has no form with questions: register one with PUT /api/forms/{{formId}} (kind feedback, with 'questions')."
                : $"Partnership '{partnershipId}' has {candidates.Count} forms with questions; name one with ?formId=.")
            : candidates.FirstOrDefault(f => f.Id == formId) ?? throw new NotFoundException("formId", $"Form '{Check.Shorten(formId)}' is not a form with questions of partnership '{partnershipId}'.");
        var link = forms.FeedbackLink(meeting, form);
        return TypedResults.Ok(new ParticipantLinkView(links.Url(request, link), null, link.ExpiresAt, form.Id));
    }

    public static async Task<Ok<ParticipantLinkView>> OpenDiagnosticAsync(HttpRequest request, string partnershipId, IPartnershipStore partnershipStore, ParticipantForms forms, ParticipantLinks links, CancellationToken ct)
    {
        var partnership = await partnershipStore.GetPartnershipAsync(partnershipId, ct)
            ?? throw new NotFoundException("partnershipId", $"Partnership '{partnershipId}' does not exist.");
        var input = NoBody(request) ? null : await RequestBody.ReadJsonAsync<OpenDiagnosticInput>(request, RequestBody.SmallLimit, ct);
        var errors = new ValidationErrors();
        var title = Check.OptionalText(input?.Title, "title", errors);
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var (form, link) = await forms.OpenDiagnosticAsync(partnership, input?.FormId, input?.Until, title, ct);
        return TypedResults.Ok(new ParticipantLinkView(links.Url(request, link), null, link.ExpiresAt, form.Id));
    }

    private static async Task<Meeting> MeetingAsync(string partnershipId, string meetingId, IAttendanceStore attendanceStore, CancellationToken ct) =>
        await attendanceStore.GetMeetingAsync(partnershipId, meetingId, ct) is { Cancelled: false } meeting
            ? meeting
            : throw new NotFoundException("meetingId", $"Meeting '{Check.Shorten(meetingId)}' does not exist in partnership '{partnershipId}' (or was cancelled).");

    /// <summary>A post without a body (no length, no type): its JSON is optional.</summary>
    private static bool NoBody(HttpRequest request) => request.ContentLength is 0 || (request.ContentLength is null && string.IsNullOrEmpty(request.ContentType));

    private static ValidationFailedException Problem(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return new ValidationFailedException(errors);
    }
}
