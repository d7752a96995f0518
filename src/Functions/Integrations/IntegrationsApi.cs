using Azure.Core;
using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Hosting;
using Engagement.Functions.Partnerships;
using Engagement.Graph;
using Engagement.Graph.Forms;
using Engagement.Graph.Groups;
using Engagement.Graph.Teams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Integrations;

internal sealed record IntegrationView(string Kind, string Id, IReadOnlyDictionary<string, string> Settings, string? Checkpoint);

/// <summary>Microsoft 365 sources of a partnership: the handlers of <see cref="IntegrationsFunctions"/>.</summary>
internal static class IntegrationsApi
{
    public static IHostApplicationBuilder AddIntegrations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TokenCredential>(sp => GraphClients.Credential(sp.GetRequiredService<IOptions<GraphOptions>>().Value));
        builder.Services.AddSingleton(sp => GraphClients.Create(sp.GetRequiredService<IOptions<GraphOptions>>().Value, sp.GetRequiredService<TokenCredential>()));
        builder.Services.AddSingleton<IMicrosoftGraph>(sp => new MicrosoftGraph(sp.GetRequiredService<Microsoft.Graph.GraphServiceClient>()));
        builder.Services.AddScoped<TeamsOrganizers>();
        builder.Services.AddScoped<TeamsAttendanceSync>();
        builder.Services.AddScoped<GroupMembershipSync>();
        builder.Services.AddScoped<FormsWorkbookSync>();
        builder.Services.AddScoped<GraphSyncs>();
        return builder;
    }

    internal static async Task<Ok<IReadOnlyList<IntegrationView>>> ListAsync(string partnershipId, IngestionService ingestion, IIntegrationStore integrationStore, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<IntegrationView>>([.. (await integrationStore.ListIntegrationsAsync(partnershipId, cancellationToken))
            .Select(r => new IntegrationView(WireNames.Format(r.Kind), r.Id, r.Settings, r.Checkpoint))]);
    }

    internal static async Task<Results<Created<WriteResponse>, Ok<WriteResponse>>> PutAsync(string partnershipId, string kind, string id, HttpRequest request, IngestionService ingestion, IRosterStore rosterStore, IAttendanceStore attendanceStore, IFormStore formStore, IIntegrationStore integrationStore, TeamsOrganizers organizers, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var settings = await RequestBody.ReadJsonAsync<Dictionary<string, string?>>(request, RequestBody.SmallLimit, cancellationToken);
        var errors = new ValidationErrors();
        var parsedKind = Check.Enum<IntegrationKind>(kind, "kind", errors);
        Check.Id(id, "id", errors);
        var clean = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings ?? [])
        {
            if (Check.OptionalText(value, key, errors, maxLength: 2048) is { } text)
            {
                clean[key] = text;
            }
        }

        if (errors.IsValid)
        {
            await ValidateAsync(partnershipId, parsedKind, id, clean, rosterStore, attendanceStore, formStore, organizers, errors, cancellationToken);
        }

        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var outcome = await integrationStore.UpsertIntegrationAsync(new IntegrationRegistration { PartnershipId = partnershipId, Kind = parsedKind, Id = id, Settings = clean }, cancellationToken);
        var body = WriteResponse.From(outcome);
        return outcome == WriteOutcome.Created
            ? TypedResults.Created($"/api/partnerships/{Uri.EscapeDataString(partnershipId)}/integrations/{WireNames.Format(parsedKind)}/{Uri.EscapeDataString(id)}", body)
            : TypedResults.Ok(body);
    }

    /// <summary>Checks a registration's settings, and completes them: a Teams organiser given by user principal name is stored by object id.</summary>
    private static async Task ValidateAsync(string partnershipId, IntegrationKind kind, string id, Dictionary<string, string> settings, IRosterStore rosterStore, IAttendanceStore attendanceStore, IFormStore formStore, TeamsOrganizers organizers, ValidationErrors errors, CancellationToken cancellationToken)
    {
        void Require(string key, string meaning)
        {
            if (!settings.ContainsKey(key))
            {
                errors.Add(key, $"'{key}' is required: {meaning}.");
            }
        }

        switch (kind)
        {
            case IntegrationKind.TeamsMeeting:
                Require(TeamsAttendanceSync.OrganizerSetting, "the organiser's Entra object id or user principal name");
                await ValidateTeamsMeetingAsync(partnershipId, id, settings, attendanceStore, organizers, errors, cancellationToken);
                break;
            case IntegrationKind.FormsWorkbook:
                Require("driveId", "the drive holding the workbook");
                Require("itemId", "the workbook's drive item id");
                if (settings.TryGetValue("timeZone", out var zone) && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
                {
                    errors.Add("timeZone", $"'{zone}' is not a known time zone (e.g. America/Toronto).");
                }

                if (await formStore.GetFormAsync(id, cancellationToken) is not { } form || form.PartnershipId != partnershipId)
                {
                    errors.Add("id", $"Form '{id}' must first be registered to partnership '{partnershipId}' (PUT /api/forms/{{formId}}).");
                }

                break;
            case IntegrationKind.Group:
                var organizations = (await rosterStore.GetKeysAsync(partnershipId, cancellationToken)).OrganizationIds;
                var mapped = settings.Where(s => s.Key == "organizationId" || s.Key.StartsWith("domain:", StringComparison.Ordinal)).ToList();
                if (mapped.Count == 0)
                {
                    errors.Add("organizationId", "Say which organisation the members represent: 'organizationId', or 'domain:<e-mail domain>' entries.");
                }

                foreach (var (key, organizationId) in mapped.Where(m => !organizations.Contains(m.Value)))
                {
                    errors.Add(key, $"Organisation '{organizationId}' is not registered in partnership '{partnershipId}'.");
                }

                if (settings.TryGetValue("role", out var role) && !WireNames.TryParse<RepresentationRole>(role, out _))
                {
                    errors.Add("role", $"'role' must be one of {string.Join(", ", WireNames.Values<RepresentationRole>())}.");
                }

                break;
        }
    }

    /// <summary>A Teams meeting's settings; the organiser, when given by user principal name, is stored by object id.</summary>
    private static async Task ValidateTeamsMeetingAsync(string partnershipId, string id, Dictionary<string, string> settings, IAttendanceStore attendanceStore, TeamsOrganizers organizers, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (await attendanceStore.GetMeetingAsync(partnershipId, id, cancellationToken) is null)
        {
            errors.Add("id", $"Meeting '{id}' does not exist in partnership '{partnershipId}'; register the meeting first.");
        }

        if (settings.TryGetValue(TeamsAttendanceSync.OrganizerSetting, out var organizer))
        {
            var (organizerId, problem) = await organizers.ResolveAsync(organizer, cancellationToken);
            if (organizerId is null)
            {
                errors.Add(TeamsAttendanceSync.OrganizerSetting, problem!);
            }
            else
            {
                settings[TeamsAttendanceSync.OrganizerSetting] = organizerId;
            }
        }

        if (!settings.ContainsKey(TeamsAttendanceSync.JoinUrlSetting) && !settings.ContainsKey(TeamsAttendanceSync.OnlineMeetingSetting))
        {
            errors.Add(TeamsAttendanceSync.JoinUrlSetting, $"Give '{TeamsAttendanceSync.JoinUrlSetting}' (the Teams join link) or '{TeamsAttendanceSync.OnlineMeetingSetting}'.");
        }
        else if (settings.TryGetValue(TeamsAttendanceSync.JoinUrlSetting, out var joinUrl))
        {
            if (!Uri.TryCreate(joinUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !uri.Host.EndsWith("teams.microsoft.com", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(TeamsAttendanceSync.JoinUrlSetting, "'joinUrl' must be a https://teams.microsoft.com/… meeting link.");
            }
            else if (TeamsMeetingLinks.IsChannelMeeting(uri))
            {
                errors.Add(TeamsAttendanceSync.JoinUrlSetting, "'joinUrl' is the link of a meeting held in a channel: for such a meeting, Microsoft Graph lists the attendance reports of every meeting of the channel, which cannot be told apart. Schedule the meeting from the Teams or Outlook calendar (not in a channel) and register its link.");
            }
        }
    }

    internal static async Task<NoContent> DeleteAsync(string partnershipId, string kind, string id, IIntegrationStore integrationStore, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var parsedKind = Check.Enum<IntegrationKind>(kind, "kind", errors);
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        return await integrationStore.DeleteIntegrationAsync(partnershipId, parsedKind, id, cancellationToken)
            ? TypedResults.NoContent()
            : throw new NotFoundException("id", $"No {WireNames.Format(parsedKind)} source '{id}' is registered for partnership '{partnershipId}'.");
    }
}

/// <summary>
/// Syncs the registered Microsoft 365 sources of one kind. Without Graph settings it says how many sources wait and
/// succeeds: an unconfigured integration is not a failure; a failing sync is (the invocation fails).
/// </summary>
internal sealed class GraphSyncs(IServiceProvider services, IOptions<GraphOptions> options, IPartnershipStore partnershipStore, IIntegrationStore integrationStore, Telemetry.EngagementMetrics metrics)
{
    public async Task<IReadOnlyList<string>> RunAsync(IntegrationKind kind, CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured)
        {
            var waiting = 0;
            foreach (var partnership in await partnershipStore.ListPartnershipsAsync(cancellationToken))
            {
                waiting += (await integrationStore.ListIntegrationsAsync(partnership.Id, cancellationToken)).Count(r => r.Kind == kind);
            }

            return [$"Microsoft Graph is not configured (Graph:TenantId and Graph:ClientId, see docs/graph-setup.md); {waiting} registered {WireNames.Format(kind)} source(s) wait"];
        }

        try
        {
            return kind switch
            {
                IntegrationKind.TeamsMeeting => await services.GetRequiredService<TeamsAttendanceSync>().RunAsync(cancellationToken),
                IntegrationKind.FormsWorkbook => await services.GetRequiredService<FormsWorkbookSync>().RunAsync(cancellationToken),
                _ => await services.GetRequiredService<GroupMembershipSync>().RunAsync(cancellationToken),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A run syncs every source and then throws one AggregateException holding each source that failed.
            metrics.SyncFailed(kind, ex is AggregateException { InnerExceptions.Count: > 0 } each ? each.InnerExceptions.Count : 1);
            throw;
        }
    }
}
