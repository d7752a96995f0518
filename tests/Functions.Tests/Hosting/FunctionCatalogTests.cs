using System.Text.Json;
using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NCrontab;

namespace Engagement.Functions.Tests.Hosting;

/// <summary>Declarations the catalog must refuse: each breaks one rule of serving a function the same in both hosts.</summary>
public sealed class UndeclaredAccess
{
    [Function("NoAccess")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "things")] HttpRequest request) => Results.Ok();
}

public sealed class UnscopedPartnershipRoute
{
    [Function("Unscoped")]
    [Access(AccessPolicy.Read)]
    public IResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/things")] HttpRequest request, string partnershipId) => Results.Ok();
}

public sealed class UnboundParameter
{
    [Function("Unbound")]
    [Access(AccessPolicy.Read)]
    public IResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "things/{id}")] HttpRequest request, string other) => Results.Ok();
}

public sealed class HardCodedSchedule
{
    [Function("SendAlerts")]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer) => Task.CompletedTask;
}

public sealed class AnonymousOnlyForTheApp
{
    [Function("HalfAnonymous")]
    [Access(AccessPolicy.Anonymous)]
    public IResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "open")] HttpRequest request) => Results.Ok();
}

public sealed class QueueNameFromASetting
{
    [Function("FromSetting")]
    public Task Run([QueueTrigger("%Queues:Scoring%")] string message, CancellationToken cancellationToken) => Task.CompletedTask;
}

public sealed class QueueOnAnotherConnection
{
    [Function("OtherAccount")]
    public Task Run([QueueTrigger("partnership-scoring", Connection = "OtherStorage")] string message) => Task.CompletedTask;
}

public sealed class QueueMessageAsObject
{
    [Function("Typed")]
    public Task Run([QueueTrigger("typed-messages")] Uri message) => Task.CompletedTask;
}

public sealed class FunctionCatalogTests
{
    private static readonly FunctionCatalog App = FunctionCatalog.App;

    [Fact]
    public void App_HasEveryTimerOfTheDesign_EachWithADefaultSchedule()
    {
        Assert.Equal(TimerSchedules.Defaults.Keys.Order(StringComparer.Ordinal), App.Timers.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var (name, schedule) in TimerSchedules.Defaults)
        {
            Assert.Equal(6, schedule.Split(' ').Length);
            Assert.NotNull(CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
            Assert.Equal($"Schedules:{name}", App.Timers.Single(t => t.Name == name).ScheduleSetting);
        }
    }

    [Fact]
    public void App_ScorePartnership_IsTriggeredByTheScoringQueue()
    {
        var queue = Assert.Single(App.Queues);

        Assert.Equal("ScorePartnership", queue.Name);
        Assert.Equal(Engagement.Functions.Risk.ScoringFunctions.QueueName, queue.QueueName);
        Assert.Same(queue, App.Queue("partnership-scoring"));
    }

    [Fact]
    public void ScheduleFrom_TheSetting_ElseItsFormerName_ElseTheDefault()
    {
        var timer = App.Timers.Single(t => t.Name == "ScoreRisk");
        IConfiguration Settings(params (string Key, string Value)[] values) =>
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

        Assert.Equal("0 0 4 * * *", timer.ScheduleFrom(Settings()));
        Assert.Equal("0 0 6 * * *", timer.ScheduleFrom(Settings(("Functions:Schedules:ScoreRisk", "0 0 6 * * *"))));
        Assert.Equal("0 0 7 * * *", timer.ScheduleFrom(Settings(("Functions:Schedules:ScoreRisk", "0 0 6 * * *"), ("Schedules:ScoreRisk", "0 0 7 * * *"))));
    }

    [Fact]
    public void App_EveryRouteWithAPartnership_IsScopedByIt()
    {
        Assert.True(App.Http.Count >= 30, $"only {App.Http.Count} HTTP functions");
        foreach (var function in App.Http.Where(f => f.Pattern.GetParameter("partnershipId") is not null))
        {
            Assert.Contains(function.Access.Scope, new[] { PartnershipScope.Route, PartnershipScope.Request });
        }

        Assert.All(App.Http.Where(f => f.Access.Policy == AccessPolicy.Anonymous), f => Assert.Equal(AuthorizationLevel.Anonymous, f.AuthLevel));
        Assert.Equal(new[] { "Health", "AcknowledgeLinkPage", "AcknowledgeByLink", "DashboardLoginPage", "DashboardLogin", "DashboardOverview", "DashboardPartnership", "DashboardOrganization", "DashboardAcknowledgeAlert", "DashboardResolveAlert", "DashboardAlertEmails", "DashboardReport", "DashboardReportDocx", "DashboardNarrativePage", "DashboardNarrative", "DashboardPlan", "DashboardTrackerTemplate", "DashboardImportTracker", "OpenApi",
                "ParticipantSignInPage", "ParticipantSignIn", "ParticipantFeedbackPage", "ParticipantFeedback", "ParticipantDiagnosticPage", "ParticipantDiagnostic", "ParticipantPrivacy", "ParticipantFollowUpPage", "ParticipantFollowUp",
                "DashboardMeetingSignIn", "DashboardCloseSignInPage", "DashboardCloseSignIn", "DashboardConfirmSignIn", "DashboardDiagnostic", "DashboardOpenDiagnostic" }.Order(StringComparer.Ordinal),
            App.Http.Where(f => f.Access.Policy == AccessPolicy.Anonymous).Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(typeof(UndeclaredAccess), "[Access]")]
    [InlineData(typeof(UnscopedPartnershipRoute), "{partnershipId}")]
    [InlineData(typeof(UnboundParameter), "parameter 'other'")]
    [InlineData(typeof(HardCodedSchedule), "%Schedules:SendAlerts%")]
    [InlineData(typeof(AnonymousOnlyForTheApp), "anonymous at the host too")]
    [InlineData(typeof(QueueNameFromASetting), "literal queue name")]
    [InlineData(typeof(QueueOnAnotherConnection), "host's storage")]
    [InlineData(typeof(QueueMessageAsObject), "message as a string")]
    public void Read_ADeclarationBothHostsCannotServeTheSame_StopsTheAppNamingIt(Type declaring, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => FunctionCatalog.Read([declaring]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(declaring.Name, error.Message, StringComparison.Ordinal);
    }

    /// <summary>What the Worker SDK generated for the Functions host (functions.metadata) says what the declarations say.</summary>
    [Fact]
    public void GeneratedMetadata_MatchesTheDeclarations()
    {
        var metadata = Path.Combine(CodeSettings.RepositoryRoot().FullName, "src", "Functions", "bin", BuildConfiguration(), "net10.0", "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllText(metadata));
        var functions = document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("bindings")[0].Clone(), StringComparer.Ordinal);

        Assert.Equal(App.Http.Count + App.Timers.Count + App.Queues.Count, functions.Count);
        foreach (var function in App.Http)
        {
            var trigger = functions[function.Name];
            Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal(function.Route, trigger.GetProperty("route").GetString());
            Assert.Equal(function.Methods, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
            Assert.Equal(function.AuthLevel.ToString(), trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
        }

        foreach (var timer in App.Timers)
        {
            var trigger = functions[timer.Name];
            Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal($"%Schedules:{timer.Name}%", trigger.GetProperty("schedule").GetString());
        }

        foreach (var queue in App.Queues)
        {
            var trigger = functions[queue.Name];
            Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal(queue.QueueName, trigger.GetProperty("queueName").GetString());
            Assert.False(trigger.TryGetProperty("connection", out _), "the queue is on the host's own storage connection");
        }
    }

    [Fact]
    public async Task Standalone_MapsEveryHttpFunction_AtItsRouteUnderApi()
    {
        await using var app = new EngagementApp();
        _ = app.CreateClient();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("api/", StringComparison.Ordinal) == true)
            .ToList();

        Assert.Equal(App.Http.Count, endpoints.Count);
        foreach (var function in App.Http)
        {
            var endpoint = Assert.Single(endpoints, e => e.DisplayName == function.Name);
            Assert.Equal("api/" + function.Route, endpoint.RoutePattern.RawText);
            Assert.Equal(function.Methods, endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => m.ToLowerInvariant()));
        }
    }

    /// <summary>
    /// The Functions host tries routes in function-name order and the first match wins; ASP.NET Core (standalone and
    /// the worker) picks the most specific. They agree only if no request can match two functions: a sample request
    /// of each function (its literal segments, each parameter a value its constraints accept) matches no other
    /// function of the same method.
    /// </summary>
    [Fact]
    public void NoRequest_MatchesTwoHttpFunctions()
    {
        using var services = new ServiceCollection().AddRouting().BuildServiceProvider();
        var resolver = services.GetRequiredService<IInlineConstraintResolver>();
        foreach (var function in App.Http)
        {
            var sample = "/" + string.Join('/', function.Pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => SampleValue(function.Pattern.GetParameter(parameter.Name)!, resolver),
                _ => string.Empty,
            }))));
            Assert.True(Matches(function, sample, resolver), $"{function.Name} does not match its own sample {sample}");
            foreach (var other in App.Http.Where(o => o != function && o.Methods.Intersect(function.Methods).Any()))
            {
                Assert.False(Matches(other, sample, resolver), $"{sample} matches both {function.Name} and {other.Name}: the host would pick by name order");
            }
        }
    }

    /// <summary>Candidate values of a route parameter; a sample takes the first its constraints accept.</summary>
    private static readonly string[] SampleValues = ["sample", "sample.csv"];

    private static string SampleValue(Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter, IInlineConstraintResolver resolver) =>
        SampleValues.FirstOrDefault(value => parameter.ParameterPolicies.All(policy =>
            ((IRouteConstraint)resolver.ResolveConstraint(policy.Content!)!).Match(null, null, parameter.Name, new RouteValueDictionary { [parameter.Name] = value }, RouteDirection.IncomingRequest)))
        ?? throw new InvalidOperationException($"No sample value satisfies the constraints of {{{parameter.Name}}}; add one to SampleValues.");

    private static bool Matches(HttpFunction function, string path, IInlineConstraintResolver resolver)
    {
        var values = new RouteValueDictionary();
        if (!new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(Microsoft.AspNetCore.Routing.Template.TemplateParser.Parse(function.Pattern.RawText!), []).TryMatch(path, values))
        {
            return false;
        }

        foreach (var parameter in function.Pattern.Parameters)
        {
            foreach (var policy in parameter.ParameterPolicies)
            {
                var constraint = (IRouteConstraint)resolver.ResolveConstraint(policy.Content!)!;
                if (!constraint.Match(null, null, parameter.Name, values, RouteDirection.IncomingRequest))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string BuildConfiguration() => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
}
