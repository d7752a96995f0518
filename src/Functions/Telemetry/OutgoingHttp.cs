using System.Diagnostics;

namespace Engagement.Functions.Telemetry;

/// <summary>What the outgoing-HTTP spans leave out.</summary>
internal static class OutgoingHttp
{
    /// <summary>
    /// The worker's own gRPC stream to the Functions host (<c>AzureFunctionsRpcMessages.FunctionRpc</c>) is plumbing,
    /// not a dependency of the app: one endless call that would show as a dependency on every start.
    /// </summary>
    public static bool IsFunctionsHostChannel(HttpRequestMessage request) =>
        request.RequestUri?.AbsolutePath.StartsWith("/AzureFunctionsRpcMessages.", StringComparison.Ordinal) == true;

    /// <summary>
    /// Graph addresses users by id or by user principal name, which is an e-mail address (<c>/users/{upn}/sendMail</c>,
    /// a meeting organiser's UPN): a path segment holding an <c>@</c> is replaced in the span's URL. Query values are
    /// already redacted by the instrumentation.
    /// </summary>
    public static void RedactAddresses(Activity activity, HttpRequestMessage _)
    {
        if (activity.GetTagItem("url.full") is not string full || !Uri.TryCreate(full, UriKind.Absolute, out var uri) || !uri.AbsolutePath.Split('/').Any(HoldsAddress))
        {
            return;
        }

        var path = string.Join('/', uri.AbsolutePath.Split('/').Select(segment => HoldsAddress(segment) ? "Redacted" : segment));
        activity.SetTag("url.full", $"{uri.GetLeftPart(UriPartial.Authority)}{path}{uri.Query}");
    }

    private static bool HoldsAddress(string segment) =>
        segment.Contains('@', StringComparison.Ordinal) || segment.Contains("%40", StringComparison.OrdinalIgnoreCase);
}
