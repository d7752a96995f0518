using Engagement.Functions.Exports;
using Engagement.Functions.Hosting;
using Engagement.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Participants;

/// <summary>
/// The key of the participants' links (<c>Participants:SigningKey</c>), handled as the person key secret is: in
/// Development, when none is set, one is created once and kept beside the data (<c>participant-link-key</c>), so a
/// newcomer's links work at once and survive a restart; anywhere else the app refuses to start without one.
/// </summary>
internal sealed partial class ParticipantLinkKey(IHostEnvironment environment, IOptions<StorageOptions> storage, ILogger<ParticipantLinkKey> logger)
    : IPostConfigureOptions<ParticipantOptions>, IValidateOptions<ParticipantOptions>
{
    public const string FileName = "participant-link-key";

    public void PostConfigure(string? name, ParticipantOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey) || !environment.IsDevelopment())
        {
            return;
        }

        var (secret, created, file) = DevelopmentSecret.ReadOrCreate(storage.Value.Sqlite.Folder(environment.ContentRootPath), FileName, PersonKeySecret.MinimumBytes);
        options.SigningKey = secret;
        if (created)
        {
            LogCreated(logger, file);
        }
    }

    public ValidateOptionsResult Validate(string? name, ParticipantOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return ValidateOptionsResult.Fail(
                $"Participants:SigningKey is required outside Development: a base64 key of {PersonKeySecret.MinimumBytes} bytes or more (e.g. `openssl rand -base64 32`). It signs the links of the participants' pages (sign-in, feedback, diagnostic); changing it invalidates the links handed out.");
        }

        return DevelopmentSecret.IsValid(options.SigningKey, PersonKeySecret.MinimumBytes)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Participants:SigningKey must be base64 of {PersonKeySecret.MinimumBytes} bytes or more (e.g. `openssl rand -base64 32`).");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development: no Participants:SigningKey is set; a new one is kept in {File} so that participants' links keep working across runs. Set your own outside Development.")]
    private static partial void LogCreated(ILogger logger, string file);
}
