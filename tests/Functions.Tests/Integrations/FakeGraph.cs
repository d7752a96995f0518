using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Engagement.Functions.Tests.Integrations;

/// <summary>
/// A fake Microsoft Graph on 127.0.0.1, answering with the documented v1.0 payloads: online meeting lookup by join
/// URL; attendance reports (<c>meetingStartDateTime</c>/<c>meetingEndDateTime</c>) and records
/// (<c>totalAttendanceInSeconds</c>, intervals that may lack their join and leave) with <c>@odata.nextLink</c> paging;
/// users by id or user principal name; group delta rounds over pages with <c>@removed</c> members, and whatever a test
/// answers for an expired link; drive item content; sendMail. It can throttle once with 429.
/// </summary>
internal sealed class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private FakeGraph(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    public IReadOnlyCollection<string> Requests => _requests;

    public List<string> Authorizations { get; } = [];

    public string OnlineMeetingId { get; set; } = "MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZ";

    public string? ExpectedJoinUrl { get; set; }

    /// <summary>Report pages: each page is a list of reports.</summary>
    public List<List<JsonObject>> ReportPages { get; } = [];

    /// <summary>Record pages per report id.</summary>
    public Dictionary<string, List<List<JsonObject>>> RecordPages { get; } = [];

    /// <summary>Report ids whose first records request is answered 429 with Retry-After: 1.</summary>
    public HashSet<string> ThrottleOnce { get; } = [];

    public List<TimeSpan> ThrottleGaps { get; } = [];

    /// <summary>Answers of successive delta calls, keyed by the delta token asked for ("" for the first call).</summary>
    public Dictionary<string, Func<HttpContext, IResult>> DeltaAnswers { get; } = [];

    /// <summary>Drive item contents by "drive/item".</summary>
    public Dictionary<string, byte[]> DriveItems { get; } = [];

    /// <summary>Bodies of the sendMail requests received, by mailbox.</summary>
    public List<(string Mailbox, JsonNode Body)> SentMail { get; } = [];

    /// <summary>Directory users by id (found by their <c>userPrincipalName</c> too).</summary>
    public Dictionary<string, JsonObject> Users { get; } = [];

    /// <summary>When set, every user lookup answers this status with Graph's error body (403: the permission is missing).</summary>
    public int? UsersStatus { get; set; }

    /// <summary>A delta page for one group: members added, and removed with @removed.</summary>
    public IResult DeltaPage(string groupId, IEnumerable<string> added, IEnumerable<string> removed, string? nextToken = null, string? deltaToken = null)
    {
        var members = new JsonArray();
        foreach (var id in added)
        {
            members.Add(new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = id });
        }

        foreach (var id in removed)
        {
            members.Add(new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = id, ["@removed"] = new JsonObject { ["reason"] = "deleted" } });
        }

        var body = new JsonObject
        {
            ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#groups",
            ["value"] = new JsonArray(new JsonObject { ["id"] = groupId, ["members@delta"] = members }),
        };
        if (nextToken is not null)
        {
            body["@odata.nextLink"] = $"{BaseUrl}/groups/delta?$skiptoken={nextToken}";
        }

        if (deltaToken is not null)
        {
            body["@odata.deltaLink"] = $"{BaseUrl}/groups/delta?$deltatoken={deltaToken}";
        }

        return Results.Json(body);
    }

    public static async Task<FakeGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGraph(app);
        app.Use(async (context, next) =>
        {
            fake._requests.Enqueue(context.Request.Path + context.Request.QueryString);
            lock (fake.Authorizations)
            {
                fake.Authorizations.Add(context.Request.Headers.Authorization.ToString());
            }

            await next(context);
        });
        app.MapGet("/v1.0/users/{user}/onlineMeetings", (string user, HttpRequest request) =>
        {
            var filter = request.Query["$filter"].ToString();
            var matches = fake.ExpectedJoinUrl is null || filter == $"JoinWebUrl eq '{fake.ExpectedJoinUrl}'";
            return Results.Json(new JsonObject
            {
                ["@odata.context"] = $"https://graph.microsoft.com/v1.0/$metadata#users('{user}')/onlineMeetings",
                ["value"] = matches ? new JsonArray(new JsonObject { ["id"] = fake.OnlineMeetingId, ["joinWebUrl"] = fake.ExpectedJoinUrl }) : new JsonArray(),
            });
        });
        app.MapGet("/v1.0/users/{user}/onlineMeetings/{meeting}/attendanceReports", (string user, string meeting, int? page) =>
        {
            var index = page ?? 0;
            var body = new JsonObject { ["value"] = new JsonArray([.. fake.ReportPages.ElementAtOrDefault(index)?.Select(r => (JsonNode)r.DeepClone()) ?? []]) };
            if (index + 1 < fake.ReportPages.Count)
            {
                body["@odata.nextLink"] = $"{fake.BaseUrl}/users/{user}/onlineMeetings/{meeting}/attendanceReports?page={index + 1}";
            }

            return Results.Json(body);
        });
        var throttledAt = new ConcurrentDictionary<string, TimeSpan>();
        app.MapGet("/v1.0/users/{user}/onlineMeetings/{meeting}/attendanceReports/{report}/attendanceRecords", (string user, string meeting, string report, int? page, HttpResponse response) =>
        {
            if (fake.ThrottleOnce.Remove(report))
            {
                throttledAt[report] = fake._clock.Elapsed;
                response.Headers.RetryAfter = "1";
                return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "TooManyRequests", ["message"] = "Please retry after 1 second." } }, statusCode: 429);
            }

            if (throttledAt.TryRemove(report, out var at))
            {
                fake.ThrottleGaps.Add(fake._clock.Elapsed - at);
            }

            var pages = fake.RecordPages.GetValueOrDefault(report) ?? [];
            var index = page ?? 0;
            var body = new JsonObject { ["value"] = new JsonArray([.. pages.ElementAtOrDefault(index)?.Select(r => (JsonNode)r.DeepClone()) ?? []]) };
            if (index + 1 < pages.Count)
            {
                body["@odata.nextLink"] = $"{fake.BaseUrl}/users/{user}/onlineMeetings/{meeting}/attendanceReports/{report}/attendanceRecords?page={index + 1}";
            }

            return Results.Json(body);
        });
        IResult Delta(HttpContext context)
        {
            var token = context.Request.Query["$deltatoken"].FirstOrDefault() ?? context.Request.Query["$skiptoken"].FirstOrDefault() ?? string.Empty;
            return fake.DeltaAnswers.TryGetValue(token, out var answer) ? answer(context) : Results.NotFound();
        }

        app.MapGet("/v1.0/groups/delta", Delta);
        app.MapGet("/v1.0/groups/delta()", Delta);
        // GET /users/{id | userPrincipalName}: a user principal name matches whatever its case.
        app.MapGet("/v1.0/users/{user}", (string user, HttpResponse response) =>
        {
            if (fake.UsersStatus is { } status)
            {
                // Retry-After 0: the SDK's retries of a 503 come at once.
                response.Headers.RetryAfter = "0";
                var (code, message) = status == 403
                    ? ("Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
                    : ("serviceNotAvailable", "The service is temporarily unavailable.");
                return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);
            }

            return fake.Users.TryGetValue(user, out var found)
                || (found = fake.Users.Values.FirstOrDefault(u => string.Equals(u["userPrincipalName"]?.GetValue<string>(), user, StringComparison.OrdinalIgnoreCase))) is not null
                ? Results.Json(found)
                : Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "Request_ResourceNotFound", ["message"] = $"Resource '{user}' does not exist or one of its queried reference-property objects are not present." } }, statusCode: 404);
        });
        app.MapGet("/v1.0/drives/{drive}/items/{item}/content", (string drive, string item) =>
            fake.DriveItems.TryGetValue($"{drive}/{item}", out var bytes)
                ? Results.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                : Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "itemNotFound", ["message"] = "The resource could not be found." } }, statusCode: 404));
        app.MapPost("/v1.0/users/{mailbox}/sendMail", async (string mailbox, HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            lock (fake.SentMail)
            {
                fake.SentMail.Add((mailbox, body!));
            }

            return Results.StatusCode(202);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseUrl = address.TrimEnd('/') + "/v1.0";
        return fake;
    }

    public static JsonObject Report(string id, string start, string end, int participants) => new()
    {
        ["id"] = id,
        ["totalParticipantCount"] = participants,
        ["meetingStartDateTime"] = start,
        ["meetingEndDateTime"] = end,
        ["attendanceRecords"] = new JsonArray(),
    };

    /// <summary>
    /// An attendance record whose total is the sum of its intervals; an interval "lacking data" has a null join or leave
    /// and 0 seconds, as Graph documents it (set <c>totalAttendanceInSeconds</c> then to what Teams counted).
    /// </summary>
    public static JsonObject Record(string? email, string? identityId, string name, string role, params (string? Join, string? Leave, int Seconds)[] intervals) => new()
    {
        ["emailAddress"] = email,
        ["totalAttendanceInSeconds"] = intervals.Sum(i => i.Seconds),
        ["role"] = role,
        ["identity"] = new JsonObject { ["id"] = identityId, ["displayName"] = name, ["tenantId"] = null },
        ["attendanceIntervals"] = new JsonArray([.. intervals.Select(i => (JsonNode)new JsonObject { ["joinDateTime"] = i.Join, ["leaveDateTime"] = i.Leave, ["durationInSeconds"] = i.Seconds })]),
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
