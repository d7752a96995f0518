using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Engagement.Bench.EmptyWorker;

/// <summary>
/// The smallest set of functions that exercises what the real app's start pays for: an anonymous HTTP function, a
/// key-protected one with a route parameter, and a timer whose schedule is an app setting.
/// </summary>
internal sealed partial class PingFunctions(ILogger<PingFunctions> logger)
{
    [Function("Ping")]
    public static IResult Ping([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ping")] HttpRequest request) =>
        Results.Text("pong");

    /// <summary>
    /// <paramref name="name"/> binds from the invocation's trigger metadata (the host sends route values there), not
    /// from ASP.NET Core's route values.
    /// </summary>
    [Function("PingName")]
    public static IResult PingName([HttpTrigger(AuthorizationLevel.Function, "get", Route = "ping/{name}")] HttpRequest request, string name) =>
        Results.Text($"pong {name}");

    [Function("Tick")]
    public void Tick([TimerTrigger("%Schedules:Tick%")] TimerInfo timer) => LogTick(timer.IsPastDue, timer.ScheduleStatus?.Next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick IsPastDue={IsPastDue} Next={Next}")]
    private partial void LogTick(bool isPastDue, DateTime? next);
}
