using System.ComponentModel.DataAnnotations;
using Engagement.Core.Storage;
using Azure.Storage.Blobs;
using Engagement.Storage.Blobs;
using Engagement.Storage.Sqlite;
using Engagement.Storage.Tables;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Storage;

/// <summary>Settings section <c>Storage</c>.</summary>
internal sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (the embedded default) or <c>Tables</c> (Azure Table Storage).</summary>
    [Required]
    [RegularExpression("^(?i:sqlite|tables)$", ErrorMessage = "Storage:Provider must be 'Sqlite' or 'Tables'.")]
    public string Provider { get; set; } = "Sqlite";

    public SqliteSettings Sqlite { get; set; } = new();

    public TablesSettings Tables { get; set; } = new();

    public ModelsSettings Models { get; set; } = new();

    public bool UsesTables => Provider.Equals("Tables", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesTables && string.IsNullOrWhiteSpace(Tables.ConnectionString) && string.IsNullOrWhiteSpace(Tables.Endpoint))
        {
            yield return new ValidationResult("Storage:Tables:ConnectionString or Storage:Tables:Endpoint is required when Storage:Provider is 'Tables'.", ["Tables"]);
        }

        if (UsesTables && !string.IsNullOrWhiteSpace(Tables.Endpoint) && !Uri.TryCreate(Tables.Endpoint, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Storage:Tables:Endpoint must be an absolute URL such as https://<account>.table.core.windows.net.", ["Tables"]);
        }
        else if (UsesTables && string.IsNullOrWhiteSpace(Tables.ConnectionString) && Uri.TryCreate(Tables.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core refuses to send a bearer token over plain HTTP; say so at start rather than at the first request.
            yield return new ValidationResult("Storage:Tables:Endpoint must be an https URL: Entra ID tokens are never sent over plain HTTP.", ["Tables"]);
        }

        foreach (var result in Models.Validate())
        {
            yield return result;
        }

        if (UsesTables && !System.Text.RegularExpressions.Regex.IsMatch(Tables.TablePrefix, "^[A-Za-z][A-Za-z0-9]{0,40}$"))
        {
            yield return new ValidationResult("Storage:Tables:TablePrefix must be a letter followed by up to 40 letters or digits.", ["Tables"]);
        }
    }

    internal sealed class SqliteSettings
    {
        /// <summary>Database file; relative paths are under the working directory.</summary>
        [Required]
        public string Path { get; set; } = "data/engagement.db";

        /// <summary>The folder of the database file, where the app keeps what belongs beside its data.</summary>
        public string Folder(string contentRoot) => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path, contentRoot))!;
    }

    /// <summary>
    /// Where the trained models are kept: a blob container when a connection string or an endpoint is given (Azure),
    /// else the store itself (the SQLite file or the Models table).
    /// </summary>
    internal sealed class ModelsSettings
    {
        /// <summary>A storage connection string with an account key, or <c>UseDevelopmentStorage=true</c> (Azurite).</summary>
        public string? BlobConnectionString { get; set; }

        /// <summary>Without a connection string: the blob endpoint (<c>https://&lt;account&gt;.blob.core.windows.net</c>), signed with Entra ID tokens.</summary>
        public string? BlobEndpoint { get; set; }

        /// <summary>Client id of a user-assigned managed identity for <see cref="BlobEndpoint"/>; empty for the system identity or developer credentials.</summary>
        public string? ManagedIdentityClientId { get; set; }

        /// <summary>The blob container of the models.</summary>
        public string Container { get; set; } = "models";

        public bool UsesBlobs => !string.IsNullOrWhiteSpace(BlobConnectionString) || !string.IsNullOrWhiteSpace(BlobEndpoint);

        /// <summary>Whether the app may create the container (with a connection string; in Azure the template creates it).</summary>
        public bool CreatesContainer => !string.IsNullOrWhiteSpace(BlobConnectionString);

        /// <summary>The models' container: by connection string, else by endpoint with an Entra ID credential.</summary>
        public BlobContainerClient ContainerClient() => CreatesContainer
            ? new BlobContainerClient(BlobConnectionString, Container)
            : new BlobContainerClient(new Uri(new Uri(BlobEndpoint!.TrimEnd('/') + "/"), Container), AzureCredentials.For(ManagedIdentityClientId));

        public IEnumerable<ValidationResult> Validate()
        {
            if (string.IsNullOrWhiteSpace(BlobConnectionString) && !string.IsNullOrWhiteSpace(BlobEndpoint)
                && (!Uri.TryCreate(BlobEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ValidationResult("Storage:Models:BlobEndpoint must be an https URL such as https://<account>.blob.core.windows.net: Entra ID tokens are never sent over plain HTTP.", ["Models"]);
            }

            // Azure's container naming rule: 3-63 lower-case letters, digits and single hyphens.
            if (UsesBlobs && !System.Text.RegularExpressions.Regex.IsMatch(Container ?? string.Empty, "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$"))
            {
                yield return new ValidationResult("Storage:Models:Container must be a blob container name: 3-63 lower-case letters, digits and single hyphens.", ["Models"]);
            }
        }
    }

    internal sealed class TablesSettings
    {
        /// <summary>A storage connection string with an account key, or <c>UseDevelopmentStorage=true</c> (Azurite on 127.0.0.1:10002).</summary>
        public string? ConnectionString { get; set; }

        /// <summary>The table endpoint, signed with Entra ID tokens (managed identity in Azure) when no connection string is given.</summary>
        public string? Endpoint { get; set; }

        /// <summary>Client id of a user-assigned managed identity; empty for the system identity or developer credentials.</summary>
        public string? ManagedIdentityClientId { get; set; }

        /// <summary>Prefix of the three table names ({prefix}Partnerships, {prefix}Forms, {prefix}Data).</summary>
        public string TablePrefix { get; set; } = "engagement";

        /// <summary>Retries of a failed request (408, 429, 500, 502, 503, 504 or no answer), with exponential back-off honouring Retry-After.</summary>
        [Range(0, 10)]
        public int MaxRetries { get; set; } = 3;

        /// <summary>First retry delay, in milliseconds; doubles at each retry.</summary>
        [Range(1, 60_000)]
        public int RetryDelayMilliseconds { get; set; } = 800;
    }
}

internal static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (!builder.Services.Any(s => s.ServiceType == typeof(TimeProvider)))
        {
            builder.Services.AddSingleton(TimeProvider.System);
        }

        var provider = builder.Configuration[$"{StorageOptions.Section}:Provider"];
        if (string.Equals(provider, "Tables", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton(sp => CreateTableStorage(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Tables, sp.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton(sp => sp.GetRequiredService<TableStorage>().CreateStores());
            builder.Services.AddHostedService<TableRequestLog>();
        }
        else
        {
            builder.Services.AddSingleton(sp => new SqliteDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Sqlite.Path, sp.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton(sp => sp.GetRequiredService<SqliteDatabase>().CreateStores());
            builder.Services.AddHostedService<SqliteMigrator>();
        }

        // Each port on its own, so that a consumer takes what it uses and a decorator wraps one port.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Health);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Partnerships);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Roster);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Attendance);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Forms);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Risk);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Models);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Alerts);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().ExportAudit);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Integrations);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().Privacy);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().SignIns);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EngagementStores>().ActionPlans);
        if (builder.Configuration.GetSection($"{StorageOptions.Section}:Models").Get<StorageOptions.ModelsSettings>() is { UsesBlobs: true })
        {
            // The store's own model tables stay readable behind it: a champion kept there is moved on first read.
            builder.Services.AddSingleton<IModelStore>(sp => CreateBlobModelStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Models, sp.GetRequiredService<EngagementStores>().Models));
        }

        return builder;
    }

    // In Azure the template creates the container; the identity may only read and write blobs in it.
    private static BlobModelStore CreateBlobModelStore(StorageOptions.ModelsSettings settings, IModelStore earlier) =>
        new(settings.ContainerClient(), settings.CreatesContainer, earlier);

    private static TableStorage CreateTableStorage(StorageOptions.TablesSettings settings, TimeProvider time)
    {
        var options = TableStoreClients.Options(settings.MaxRetries, TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds));
        var service = !string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? TableStoreClients.FromConnectionString(settings.ConnectionString, options)
            : TableStoreClients.FromEndpoint(
                new Uri(settings.Endpoint!),
                AzureCredentials.For(settings.ManagedIdentityClientId),
                options);
        return new TableStorage(service, settings.TablePrefix, time);
    }
}

/// <summary>Brings the SQLite file to the latest schema before the app takes requests.</summary>
internal sealed partial class SqliteMigrator(SqliteDatabase store, ILogger<SqliteMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        LogReady(logger, store.Path, await store.GetSchemaVersionAsync(cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite store at {Path}, schema version {Version}")]
    private static partial void LogReady(ILogger logger, string path, int version);
}

/// <summary>
/// Forwards Azure.Core's request events (retries, failures; with Debug enabled, every request) to the app's log.
/// Azure.Core redacts the Authorization header and query values, so no key, signature or token is logged.
/// </summary>
internal sealed class TableRequestLog(ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("Engagement.Storage.Tables");
    private Azure.Core.Diagnostics.AzureEventSourceListener? _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var level = _logger.IsEnabled(LogLevel.Debug) ? System.Diagnostics.Tracing.EventLevel.Verbose : System.Diagnostics.Tracing.EventLevel.Warning;
        _listener = new Azure.Core.Diagnostics.AzureEventSourceListener(
            (e, message) =>
            {
                var logLevel = e.Level switch
                {
                    System.Diagnostics.Tracing.EventLevel.Critical or System.Diagnostics.Tracing.EventLevel.Error => LogLevel.Error,
                    System.Diagnostics.Tracing.EventLevel.Warning => LogLevel.Warning,
                    System.Diagnostics.Tracing.EventLevel.Informational => LogLevel.Information,
                    _ => LogLevel.Debug,
                };
#pragma warning disable CA1848, CA2254 // Azure.Core formats its own messages; they are forwarded as they come.
                _logger.Log(logLevel, message);
#pragma warning restore CA1848, CA2254
            },
            level);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }
}

