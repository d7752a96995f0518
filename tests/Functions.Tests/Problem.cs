using System.Net;
using System.Text.Json;

namespace Engagement.Functions.Tests;

/// <summary>Assertions on RFC 9457 problem answers.</summary>
internal static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, params string[] fields)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        foreach (var field in fields)
        {
            Assert.True(body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"No error names '{field}': {text}");
        }

        return body;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static void AssertCounts(JsonElement body, int created, int updated, int unchanged)
    {
        Assert.Equal(created, body.GetProperty("created").GetInt32());
        Assert.Equal(updated, body.GetProperty("updated").GetInt32());
        Assert.Equal(unchanged, body.GetProperty("unchanged").GetInt32());
    }
}
