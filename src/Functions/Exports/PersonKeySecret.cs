using Engagement.Functions.Hosting;
using Engagement.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Exports;

/// <summary>
/// The secret of the pseudonymous person keys (<c>Exports:PersonKeySecret</c>). In Development, when none is set, one is
/// created once and kept beside the data (<c>person-key-secret</c> in the SQLite file's folder), so a newcomer's exports
/// work at once and person keys stay the same across runs, as in a real install. Anywhere else the app refuses to start
/// without one, naming the setting, instead of answering 503 on every export.
/// </summary>
internal sealed partial class PersonKeySecret(IHostEnvironment environment, IOptions<StorageOptions> storage, ILogger<PersonKeySecret> logger)
    : IPostConfigureOptions<ExportOptions>, IValidateOptions<ExportOptions>
{
    /// <summary>The file a Development secret is kept in, beside the data.</summary>
    public const string FileName = "person-key-secret";

    /// <summary>The least length of the secret, in bytes.</summary>
    public const int MinimumBytes = 32;

    public void PostConfigure(string? name, ExportOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PersonKeySecret) || !environment.IsDevelopment())
        {
            return;
        }

        var (secret, created, file) = DevelopmentSecret.ReadOrCreate(storage.Value.Sqlite.Folder(environment.ContentRootPath), FileName, MinimumBytes);
        options.PersonKeySecret = secret;
        if (created)
        {
            LogCreated(logger, file);
        }
    }

    public ValidateOptionsResult Validate(string? name, ExportOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PersonKeySecret))
        {
            return ValidateOptionsResult.Fail(
                $"Exports:PersonKeySecret is required outside Development: a base64 secret of {MinimumBytes} bytes or more (e.g. `openssl rand -base64 32`), kept stable so that person keys stay the same. It pseudonymises persons in the exports, the OData feed and the datasets.");
        }

        return DevelopmentSecret.IsValid(options.PersonKeySecret, MinimumBytes)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Exports:PersonKeySecret must be base64 of {MinimumBytes} bytes or more (e.g. `openssl rand -base64 32`).");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development: no Exports:PersonKeySecret is set; a new one is kept in {File} so that person keys stay the same across runs. Set your own outside Development.")]
    private static partial void LogCreated(ILogger logger, string file);
}
