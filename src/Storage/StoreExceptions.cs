namespace Engagement.Storage;

/// <summary>
/// A store refused or failed a request. Stores translate their client library's errors into these at their edge, so
/// the HTTP layer answers from the product's own exceptions and never sees a storage SDK type.
/// </summary>
public class StoreException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>The store (or the network to it) did not answer, or refused the app's credentials: nothing of the failed request was stored.</summary>
public sealed class StoreUnavailableException(string message, Exception? innerException = null) : StoreException(message, innerException);

/// <summary>A record over the store's size limits, refused before anything was sent.</summary>
public sealed class RecordTooLargeException(string message, Exception? innerException = null) : StoreException(message, innerException);

/// <summary>Other writers kept changing the same records while this write was retried; nothing of the failed part was stored.</summary>
public sealed class StoreConflictException(string message, Exception? innerException = null) : StoreException(message, innerException);
