using System.Globalization;
using Engagement.Core.Domain;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Participants.Components;
using Microsoft.AspNetCore.Http.Features;

namespace Engagement.Functions.Participants;

/// <summary>
/// What every participant's page answers with: a page in the page's language (a Razor component with the participants'
/// frame), a refusal named by its strings' keys, the 429 of a spent rate limit, and the posted form read within the
/// limits of these small forms.
/// </summary>
internal sealed partial class ParticipantReplies(ParticipantRateLimiter limiter, TimeProvider time, ILogger<ParticipantReplies> logger)
{
    private static readonly FormOptions PostedFormLimits = new() { BufferBodyLengthLimit = 256 * 1024, ValueCountLimit = 200, KeyLengthLimit = 200, ValueLengthLimit = 16 * 1024 };

    public IResult Page<TComponent>(HttpRequest request, PartnershipLanguage language, object parameters, int status = StatusCodes.Status200OK)
        where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        var context = PageContext.For(request, language, time, showOverviewLink: false);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Context"] = context };
        foreach (var property in parameters.GetType().GetProperties())
        {
            values[property.Name] = property.GetValue(parameters);
        }

        return new PageResult<TComponent>(language, values, status);
    }

    public IResult Message(HttpRequest request, PartnershipLanguage language, int status, string heading, string text, string? argument = null) =>
        Page<ParticipantMessagePage>(request, language, new { Heading = heading, Text = text, Argument = argument }, status);

    public IResult TooMany(HttpRequest request, PartnershipLanguage language)
    {
        LogTooMany(logger, request.Path.ToString());
        request.HttpContext.Response.Headers.RetryAfter = limiter.SecondsToNextWindow().ToString(CultureInfo.InvariantCulture);
        return Message(request, language, StatusCodes.Status429TooManyRequests, "Participant.TooMany", "Participant.TooManyText");
    }

    /// <summary>The posted form, or null when it is not one (or is over the limits of these small forms).</summary>
    public static async Task<IFormCollection?> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await request.ReadFormAsync(PostedFormLimits, ct);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Participants' page {Path} answered 429: a rate limit was reached")]
    private static partial void LogTooMany(ILogger logger, string path);
}
