using System.Diagnostics;

namespace Engagement.Functions.Telemetry;

/// <summary>
/// The app's own spans, for work no library traces: an SMTP send and, standalone, a timer run (under the Functions host
/// the worker traces each invocation itself). Tags carry the kind of work and where it went, never an address.
/// </summary>
internal static class EngagementActivities
{
    public const string SourceName = "Engagement";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// A timer run standalone: a server span named after the function when nothing started it (the scheduler), so it
    /// is a request of its own as under the host; inside the request of an admin's <c>POST /{Timer}</c>, a child of it.
    /// </summary>
    public static Activity? StartTimer(string function)
    {
        var activity = Source.StartActivity(function, Activity.Current is null ? ActivityKind.Server : ActivityKind.Internal);
        activity?.SetTag("faas.trigger", "timer");
        activity?.SetTag("faas.name", function);
        return activity;
    }

    /// <summary>An SMTP send: a client span to the server's host and port, the dependency type named for Application Insights.</summary>
    public static Activity? StartSmtpSend(string host, int port)
    {
        var activity = Source.StartActivity("smtp send", ActivityKind.Client);
        activity?.SetTag("server.address", host);
        activity?.SetTag("server.port", port);
        activity?.SetTag("network.protocol.name", "smtp");
        activity?.SetTag("microsoft.dependency.type", "SMTP");
        return activity;
    }

    /// <summary>Marks a span failed with the exception's type only: SMTP and Graph messages can quote an address.</summary>
    public static void Failed(this Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity?.SetTag("error.type", exception.GetType().FullName);
    }
}
