using Engagement.Core.Ingestion;
using Engagement.Core.Validation;
using Engagement.Functions.Security;
using Engagement.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Functions.Problems;

internal static class ProblemsExtensions
{
    public static IHostApplicationBuilder AddProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Routing refuses a body type no endpoint accepts before any handler runs; say which header is wrong.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
            {
                var message = $"This route does not accept '{context.HttpContext.Request.ContentType ?? "no Content-Type"}'; send application/json.";
                context.ProblemDetails.Detail = message;
                context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { ["Content-Type"] = [message] };
            }
        });
        builder.Services.AddSingleton<ProblemMapper>();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        return builder;
    }
}

/// <summary>A request body the app refuses before reading it all: too large (413) or of the wrong type (415).</summary>
internal sealed class RequestRejectedException(int statusCode, string field, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string Field { get; } = field;
}

/// <summary>An RFC 9457 problem answer, written through the app's <see cref="IProblemDetailsService"/>.</summary>
internal sealed class ProblemResult(ProblemDetails problem, Exception? exception = null) : IResult
{
    public ProblemDetails Problem { get; } = problem;

    /// <summary>The <c>WWW-Authenticate</c> scheme of a 401, or null.</summary>
    public string? Challenge { get; init; }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        if (Challenge is not null)
        {
            httpContext.Response.Headers.WWWAuthenticate = Challenge;
        }

        httpContext.Response.StatusCode = Problem.Status ?? StatusCodes.Status500InternalServerError;
        var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = Problem, Exception = exception });
    }
}

/// <summary>
/// Turns every failure into RFC 9457 problem details naming the offending field, and keeps internals out of the
/// answer: an unexpected exception is logged with its cause and answered with a bare 500. Used by both hosts.
/// </summary>
internal sealed partial class ProblemMapper(ILogger<ProblemMapper> logger)
{
    public ProblemResult ToResult(HttpContext httpContext, Exception exception)
    {
        var problem = Known(exception, HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method));
        if (problem is null)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Unexpected error", Detail = "The request failed; the cause is in the server log." };
        }

        return new ProblemResult(problem, exception);
    }

    // A read stores nothing anyway: its 400 does not say "Nothing was stored".
    private ProblemDetails? Known(Exception exception, bool isRead) => exception switch
    {
        ValidationFailedException e => new HttpValidationProblemDetails(e.Errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = e.Message,
            Detail = isRead ? "Fix the fields listed in 'errors' and send the request again." : "Nothing was stored. Fix the fields listed in 'errors' and send the request again.",
        },
        NotFoundException e => WithField(StatusCodes.Status404NotFound, "Not found", e.Field, e.Message),
        BatchTooLargeException e => WithField(StatusCodes.Status413PayloadTooLarge, "Batch too large", e.Field, e.Message),
        RequestRejectedException e => WithField(e.StatusCode, e.StatusCode == StatusCodes.Status415UnsupportedMediaType ? "Unsupported media type" : "Request too large", e.Field, e.Message),
        PartnershipForbiddenException e => WithField(StatusCodes.Status403Forbidden, "Forbidden", "partnershipId", e.Message),
        BadHttpRequestException e => new ProblemDetails { Status = e.StatusCode, Title = "Bad request", Detail = e.Message },
        StoreUnavailableException e => Unavailable(e),
        RecordTooLargeException e => WithField(StatusCodes.Status413PayloadTooLarge, "Record too large", "body", e.Message + " Nothing was stored."),
        StoreConflictException e => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = e.Message },
        Microsoft.Kiota.Abstractions.ApiException e when IsUnavailable(e) => GraphUnavailable(e),
        AggregateException { InnerExceptions: [Microsoft.Kiota.Abstractions.ApiException e, ..] } when IsUnavailable(e) => GraphUnavailable(e), // Graph's retries, all failed
        _ => null,
    };

    // Graph out of service or throttling past the SDK's retries; a refusal or a missing resource stays a failure of ours.
    private static bool IsUnavailable(Microsoft.Kiota.Abstractions.ApiException exception) =>
        exception.ResponseStatusCode is >= 500 or 429;

    // Microsoft Graph failing during a request (a registration looks the organiser up): its trouble, not a bug of ours.
    private ProblemDetails GraphUnavailable(Microsoft.Kiota.Abstractions.ApiException exception)
    {
        LogGraphFailed(logger, exception, exception.ResponseStatusCode);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Microsoft Graph unavailable",
            Detail = $"Microsoft Graph answered {exception.ResponseStatusCode}; nothing was stored. Send the request again later.",
        };
    }

    private ProblemDetails Unavailable(Exception exception)
    {
        LogStoreUnavailable(logger, exception);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Storage unavailable",
            Detail = "The store did not answer; nothing was stored. Send the request again later.",
        };
    }

    public static HttpValidationProblemDetails WithField(int status, string title, string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] }) { Status = status, Title = title, Detail = message };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure of {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Microsoft Graph answered {Status} during a request")]
    private static partial void LogGraphFailed(ILogger logger, Exception exception, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store is unavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);
}

/// <summary>Standalone only: failures outside a function (e.g. reading a form before routing) answer problem details too.</summary>
internal sealed class ProblemExceptionHandler(ProblemMapper mapper) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        await mapper.ToResult(httpContext, exception).ExecuteAsync(httpContext);
        return true;
    }
}
