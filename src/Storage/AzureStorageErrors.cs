using Azure;

namespace Engagement.Storage;

/// <summary>Azure SDK failures as the product's exceptions; the SDK's exception stays as the inner exception, for the log.</summary>
internal static class AzureStorageErrors
{
    /// <summary>The product exception for <paramref name="exception"/> of the <paramref name="service"/> service (Table, Blob), or null to let it through (the caller's cancellation, programming errors).</summary>
    public static Exception? Translate(Exception exception, string service, string what, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        RequestFailedException { Status: 413 } or RequestFailedException { ErrorCode: "EntityTooLarge" or "PropertyValueTooLarge" or "RequestBodyTooLarge" } =>
            new RecordTooLargeException($"The {service} service refused {what}: the record is over its size limits.", exception),
        RequestFailedException { Status: 403 } e =>
            new StoreUnavailableException($"The {service} service refused the app's credentials while {what} ({e.ErrorCode}); check the identity's role or the account key.", exception),
        RequestFailedException { Status: 0 or 408 or 429 or 500 or 502 or 503 or 504 } e =>
            new StoreUnavailableException($"The {service} service did not answer while {what} ({Describe(e)}).", exception),
        RequestFailedException e =>
            new StoreException($"The {service} service refused {what}: {e.Status} {e.ErrorCode}.", exception),
        // Azure.Core's retry gathers every attempt's failure once it gives up.
        AggregateException a when a.InnerExceptions.All(e => e is RequestFailedException or OperationCanceledException) =>
            new StoreUnavailableException($"The {service} service did not answer while {what}, after {a.InnerExceptions.Count} attempts ({Describe(a.InnerExceptions[^1])}).", exception),
        // A network timeout of the client (not the caller's cancellation).
        OperationCanceledException =>
            new StoreUnavailableException($"The {service} service did not answer in time while {what}.", exception),
        _ => null,
    };

    private static string Describe(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 } e => e.InnerException?.Message ?? e.Message.Split('\n')[0],
        RequestFailedException e => $"{e.Status} {e.ErrorCode}",
        _ => exception.Message,
    };
}
