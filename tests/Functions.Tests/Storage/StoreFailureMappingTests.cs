using System.ComponentModel.DataAnnotations;
using Engagement.Functions.Problems;
using Engagement.Functions.Storage;
using Engagement.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engagement.Functions.Tests.Storage;

/// <summary>The store's own exceptions as problem details, and the Table settings refused at start.</summary>
public sealed class StoreFailureMappingTests
{
    private static ProblemDetails Problem(Exception exception) =>
        new ProblemMapper(NullLogger<ProblemMapper>.Instance).ToResult(new DefaultHttpContext(), exception).Problem;

    [Fact]
    public void StoreUnavailable_Answers503()
    {
        var problem = Problem(new StoreUnavailableException("The Table service did not answer."));
        Assert.Equal((503, "Storage unavailable"), (problem.Status, problem.Title));
    }

    [Fact]
    public void RecordTooLarge_Answers413NamingTheBody()
    {
        var problem = Assert.IsType<HttpValidationProblemDetails>(Problem(new RecordTooLargeException("Property 'Answers0' is too long.")));
        Assert.Equal((413, "Record too large"), (problem.Status, problem.Title));
        Assert.Contains("Nothing was stored", Assert.Single(problem.Errors["body"]), StringComparison.Ordinal);
    }

    [Fact]
    public void StoreConflict_Answers409WithTheStoresMessage()
    {
        var problem = Problem(new StoreConflictException("Other writers kept changing the same records."));
        Assert.Equal((409, "Other writers kept changing the same records."), (problem.Status, problem.Detail));
    }

    [Fact]
    public void OtherStoreRefusal_Answers500WithoutItsDetail()
    {
        var problem = Problem(new StoreException("The Table service refused writing: 400 InvalidInput."));
        Assert.Equal(500, problem.Status);
        Assert.DoesNotContain("InvalidInput", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://engagementprod.table.core.windows.net", false)]
    [InlineData("https://engagementprod.table.core.windows.net", true)]
    public void TablesEndpoint_MustBeHttpsForTokens(string endpoint, bool valid)
    {
        var options = new StorageOptions { Provider = "Tables", Tables = { Endpoint = endpoint } };
        var results = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Equal(valid, results.Count == 0);
    }
}
