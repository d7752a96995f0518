using System.ComponentModel.DataAnnotations;
using Engagement.Core.Storage;
using Engagement.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Storage;

/// <summary>Settings section <c>Storage</c>.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Sqlite</c> (the embedded default).</summary>
    [Required]
    [RegularExpression("^(?i:sqlite)$", ErrorMessage = "Storage:Provider must be 'Sqlite'.")]
    public string Provider { get; set; } = "Sqlite";

    public SqliteSettings Sqlite { get; set; } = new();

    internal sealed class SqliteSettings
    {
        /// <summary>Database file; relative paths are under the working directory.</summary>
        [Required]
        public string Path { get; set; } = "data/engagement.db";
    }
}

internal static class StorageExtensions
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new SqliteEngagementStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Sqlite.Path, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IEngagementStore>(sp => sp.GetRequiredService<SqliteEngagementStore>());
        builder.Services.AddHostedService<SqliteMigrator>();
        builder.Services.TryAddSingletonTimeProvider();
        return builder;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}

/// <summary>Brings the SQLite file to the latest schema before the app takes requests.</summary>
internal sealed partial class SqliteMigrator(SqliteEngagementStore store, ILogger<SqliteMigrator> logger) : IHostedService
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
