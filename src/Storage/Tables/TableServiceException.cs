namespace Engagement.Storage.Tables;

/// <summary>
/// A failure answered by the Table service (or a transport failure, with status 0): one exception type carrying
/// the HTTP status and the service's error code (e.g. <c>EntityAlreadyExists</c>, <c>UpdateConditionNotSatisfied</c>).
/// </summary>
public class TableServiceException(int status, string? errorCode, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>HTTP status, or 0 when no answer came.</summary>
    public int Status { get; } = status;

    /// <summary>The service's error code, when it gave one.</summary>
    public string? ErrorCode { get; } = errorCode;

    /// <summary>Whether the service (or the network to it) is unavailable, as opposed to refusing the request.</summary>
    public bool IsUnavailable => Status is 0 or 408 or 429 or 500 or 502 or 503 or 504;
}

/// <summary>A failed entity group transaction: the whole transaction was rolled back.</summary>
public sealed class TableTransactionFailedException(int status, string? errorCode, int failedIndex, string message)
    : TableServiceException(status, errorCode, message)
{
    /// <summary>0-based index of the action the service refused, or -1 when it did not say.</summary>
    public int FailedIndex { get; } = failedIndex;
}
