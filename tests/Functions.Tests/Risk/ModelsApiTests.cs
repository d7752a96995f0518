using System.Net;
using System.Text;
using System.Text.Json;
using Engagement.Analytics.Model;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Tests.Exports;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Risk;

/// <summary>A synthetic history long enough to train on, retrained twice a week apart by the RetrainModel timer.</summary>
public sealed class RetrainedAppFixture : IAsyncLifetime
{
    public EngagementApp App { get; } = new();

    public async Task InitializeAsync()
    {
        var today = DateOnly.FromDateTime(EngagementApp.Start.UtcDateTime);
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 1, Partnerships = 3, Months = 30, Start = new DateOnly(today.Year, today.Month, 1).AddMonths(-30) });
        await App.Services.GetRequiredService<EngagementStores>().LoadAsync(dataset);
        await RetrainAsync();
        App.Clock.Advance(TimeSpan.FromDays(7));
        await RetrainAsync();
    }

    private async Task RetrainAsync()
    {
        using var response = await App.Admin().PostAsync("/RetrainModel", new StringContent("{}", Encoding.UTF8, "application/json"));
        var run = await Problem.JsonAsync(response);
        Assert.Contains(run.GetProperty("logs").EnumerateArray(), l => l.GetString()!.StartsWith("challenger ", StringComparison.Ordinal));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class ModelsApiTests(RetrainedAppFixture fixture) : IClassFixture<RetrainedAppFixture>
{
    private async Task<JsonElement> ModelsAsync(string query = "") =>
        await Problem.JsonAsync(await fixture.App.Admin().GetAsync("/api/risk/models" + query));

    [Fact]
    public async Task AfterRealRetrainings_TheChampionAndEachDecision_NewestFirst_WithBothEvaluationsAsJson()
    {
        var models = await ModelsAsync();
        var stored = await fixture.App.Services.GetRequiredService<EngagementStores>().Models.ListRetrainingsAsync();
        var decisions = models.GetProperty("retrainings").EnumerateArray().ToList();
        Assert.Equal(2, decisions.Count);
        Assert.Equal(2, stored.Count);

        // Newest first: the second run, a week after the first, against the champion the first one left.
        var (second, first) = (decisions[0], decisions[1]);
        Assert.Equal(EngagementApp.Start.AddDays(7), second.GetProperty("ranAt").GetDateTimeOffset());
        Assert.Equal(EngagementApp.Start, first.GetProperty("ranAt").GetDateTimeOffset());
        Assert.Equal("prior-2", first.GetProperty("championVersion").GetString());
        Assert.True(first.GetProperty("promoted").GetBoolean(), first.GetProperty("reason").GetString());
        Assert.StartsWith("trained-", first.GetProperty("challengerVersion").GetString(), StringComparison.Ordinal);
        Assert.Equal(first.GetProperty("challengerVersion").GetString(), second.GetProperty("championVersion").GetString());
        Assert.NotEqual(first.GetProperty("challengerVersion").GetString(), second.GetProperty("challengerVersion").GetString());

        // The champion is the newest promoted challenger, stored when it was trained.
        var promoted = decisions.First(d => d.GetProperty("promoted").GetBoolean());
        var champion = models.GetProperty("champion");
        Assert.Equal(promoted.GetProperty("challengerVersion").GetString(), champion.GetProperty("version").GetString());
        Assert.Equal("trained", champion.GetProperty("kind").GetString());
        Assert.Equal(promoted.GetProperty("ranAt").GetDateTimeOffset(), champion.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(3, champion.EnumerateObject().Count());

        foreach (var (decision, record) in decisions.Zip(stored))
        {
            Assert.Equal(record.ChallengerVersion, decision.GetProperty("challengerVersion").GetString());
            Assert.Equal(record.Reason, decision.GetProperty("reason").GetString());
            Assert.False(string.IsNullOrWhiteSpace(record.Reason));
            foreach (var (name, json) in new[] { ("challengerEvaluation", record.ChallengerEvaluation), ("championEvaluation", record.ChampionEvaluation) })
            {
                var evaluation = decision.GetProperty(name);
                Assert.Equal(JsonValueKind.Object, evaluation.ValueKind);
                Assert.Equal(JsonValueKind.Number, evaluation.GetProperty("model").GetProperty("rocAuc").ValueKind);
                Assert.Equal(JsonValueKind.Number, evaluation.GetProperty("baseline").GetProperty("brier").ValueKind);
                Assert.True(evaluation.GetProperty("testRows").GetInt32() > 0);
                Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(json).RootElement, evaluation), name);
            }
        }
    }

    [Fact]
    public async Task Top_LimitsTheDecisions_ToTheNewest()
    {
        var all = await ModelsAsync("?top=500");
        var one = await ModelsAsync("?top=1");
        var decision = Assert.Single(one.GetProperty("retrainings").EnumerateArray());
        Assert.Equal(all.GetProperty("retrainings")[0].GetProperty("ranAt").GetDateTimeOffset(), decision.GetProperty("ranAt").GetDateTimeOffset());
        Assert.Equal(all.GetProperty("champion").GetProperty("version").GetString(), one.GetProperty("champion").GetProperty("version").GetString());
        Assert.Equal(2, (await ModelsAsync("?top=")).GetProperty("retrainings").GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("ten")]
    [InlineData("99999999999")]
    public async Task Top_OutOfRangeOrNotANumber_Answers400NamingIt(string top)
    {
        var problem = await Problem.AssertAsync(await fixture.App.Admin().GetAsync($"/api/risk/models?top={Uri.EscapeDataString(top)}"), HttpStatusCode.BadRequest, "top");
        Assert.Contains("1 to 500", problem.GetProperty("errors").GetProperty("top")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EngagementApp.Keys.Coordinator)]
    [InlineData(EngagementApp.Keys.Analyst)]
    [InlineData(EngagementApp.Keys.Ingest)]
    [InlineData(EngagementApp.Keys.CoordinatorOfP1)]
    public async Task OtherRoles_AreForbidden(string key)
    {
        await Problem.AssertAsync(await fixture.App.ClientWithKey(key).GetAsync("/api/risk/models"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task BeforeAnyRetraining_NoChampion_NoDecisions()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();
        (await app.Admin().PostAsync("/RetrainModel", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        // Too little history: nothing trained, nothing decided; the prior scores.
        var models = await Problem.JsonAsync(await app.Admin().GetAsync("/api/risk/models"));
        Assert.Equal(JsonValueKind.Null, models.GetProperty("champion").ValueKind);
        Assert.Equal(0, models.GetProperty("retrainings").GetArrayLength());
    }

    [Fact]
    public async Task TheStoredChampion_IsAnMlNetArtifactWithItsSelection_AndScores()
    {
        var stored = (await fixture.App.Services.GetRequiredService<EngagementStores>().Models.GetChampionAsync())!;
        var model = RiskModel.FromJson(stored.Artifact);
        Assert.Equal(RiskModel.MlNetFormat, model.Format);
        Assert.Contains(model.Selection!.Candidates, c => c.Name == model.Selection.Chosen);
        Assert.Equal($"{model.Candidate!.Name}/{model.Calibration!.Method}", model.Selection.Chosen);

        using var response = await fixture.App.Admin().PostAsync("/ScoreRisk", new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));
        var run = await Problem.JsonAsync(response);
        Assert.Contains(run.GetProperty("logs").EnumerateArray(), l => l.GetString()!.EndsWith($"with model {stored.Version}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AChampionOfTheLinearTrainer_StoredBeforeMlNet_StillScores()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();
        var models = app.Services.GetRequiredService<EngagementStores>().Models;
        // A linear artifact, as the in-house trainer stored it (no "format").
        var linear = PriorModel.Create() with { Version = "trained-2026-01-05T03:30:00Z", Kind = "trained" };
        var json = linear.ToJson();
        Assert.Contains("\"format\": null", json, StringComparison.Ordinal);
        await models.SaveModelAsync(new StoredModel { Version = linear.Version, Kind = linear.Kind, CreatedAt = EngagementApp.Start, Artifact = json });
        await models.SetChampionAsync(linear.Version);

        using var response = await app.Admin().PostAsync("/ScoreRisk", new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));
        var run = await Problem.JsonAsync(response);
        Assert.Contains(run.GetProperty("logs").EnumerateArray(), l => l.GetString()!.EndsWith($"with model {linear.Version}", StringComparison.Ordinal));
    }
}
