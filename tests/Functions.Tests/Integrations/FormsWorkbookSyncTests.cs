using System.Net.Http.Json;
using System.Text;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Graph.Tests.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Integrations;

/// <summary>SyncFormsWorkbook: the workbook downloaded through the real SDK from the fake Graph, read with OpenXml.</summary>
public sealed class FormsWorkbookSyncTests : IAsyncLifetime
{
    private FakeGraph _graph = null!;
    private EngagementApp _app = null!;

    // 2026-03-14 15:23:30 in Excel's serial form (Montréal is on daylight time, UTC−4, since March 8).
    private const double March14 = 46095.641319444444;

    public async Task InitializeAsync()
    {
        (_graph, _app) = await GraphTestApp.StartAsync();
        var admin = _app.Admin();
        (await admin.PutAsJsonAsync("/api/forms/cacis-2026", new
        {
            partnershipId = "p1",
            kind = "diagnostic",
            items = new Dictionary<string, int> { ["1. Perspectives"] = 1, ["5. Décisions"] = 5 },
            answerLabels = new Dictionary<string, string[]> { ["A"] = ["Tout à fait"], ["B"] = ["En partie"], ["C"] = ["Pas du tout"] },
        })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/partnerships/p1/integrations/forms-workbook/cacis-2026", new { driveId = "d1", itemId = "i1" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private void Workbook(params XCell?[][] rows) =>
        _graph.DriveItems["d1/i1"] = new XlsxBuilder().Sheet("Form1", sheet =>
        {
            sheet.Row("ID", "Start time", "Completion time", "Email", "Name", "1. Perspectives", "5. Décisions", "Commentaires");
            foreach (var row in rows)
            {
                sheet.Row(row);
            }

            sheet.AsTable();
        }).Build();

    private Task<string> SyncAsync() => GraphTestApp.RunTimerAsync(_app, "SyncFormsWorkbook");

    [Fact]
    public async Task Sync_NewRows_BecomeSubmissions_ThenOnlyRowsAboveTheCheckpoint()
    {
        Workbook(
            [1, XCell.Date(March14 - 0.01), XCell.Date(March14), "marie@example.org", "Marie Tremblay", "Tout à fait", "En partie", "Merci!"],
            [2, XCell.Date(March14), XCell.Date(March14 + 0.002), null, null, "Pas du tout", "Tout à fait", null],
            [3, XCell.Date(March14), XCell.Date(March14 + 0.003), "jean@example.org", "Jean Roy", "Peut-être", "En partie", null]);

        var first = await SyncAsync();
        Assert.True(first.Contains("3 new row(s) after ID 0, 2 submission(s) stored", StringComparison.Ordinal), first);
        Assert.Contains("row ID 3 skipped", first, StringComparison.Ordinal);

        var store = _app.Services.GetRequiredService<EngagementStores>();
        var submissions = (await store.Forms.ListFormSubmissionsAsync("p1")).ToDictionary(s => s.ResponseId);
        Assert.Equal(["1", "2"], submissions.Keys.Order());
        var marie = submissions["1"];
        Assert.Equal("marie", marie.RespondentPersonId);
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 15, 23, 30, TimeSpan.FromHours(-4)), marie.SubmittedAt);
        Assert.Equal(DiagnosticAnswer.A, marie.DiagnosticItems![1]);
        Assert.Equal(DiagnosticAnswer.B, marie.DiagnosticItems[5]);
        Assert.Equal(["Merci!"], marie.Answers["Commentaires"]);
        Assert.Null(submissions["2"].RespondentPersonId);
        Assert.Equal("3", (await store.Integrations.ListIntegrationsAsync("p1")).Single().Checkpoint);

        // Forms adds a row; the workbook is read again from the start, but only row 4 is new.
        Workbook(
            [1, XCell.Date(March14 - 0.01), XCell.Date(March14), "marie@example.org", "Marie Tremblay", "Tout à fait", "En partie", "Merci!"],
            [2, XCell.Date(March14), XCell.Date(March14 + 0.002), null, null, "Pas du tout", "Tout à fait", null],
            [3, XCell.Date(March14), XCell.Date(March14 + 0.003), "jean@example.org", "Jean Roy", "Peut-être", "En partie", null],
            [4, XCell.Date(March14 + 1), XCell.Date(March14 + 1.01), "jean@example.org", "Jean Roy", "En partie", "En partie", null]);
        var second = await SyncAsync();
        Assert.True(second.Contains("1 new row(s) after ID 3, 1 submission(s) stored", StringComparison.Ordinal), second);
        Assert.Equal("jean", (await store.Forms.ListFormSubmissionsAsync("p1")).Single(s => s.ResponseId == "4").RespondentPersonId);

        Assert.Contains("0 new row(s) after ID 4", await SyncAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_MissingWorkbook_FailsVisiblyAndKeepsTheCheckpoint()
    {
        using var response = await _app.Admin().PostAsync("/SyncFormsWorkbook", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null((await _app.Services.GetRequiredService<EngagementStores>().Integrations.ListIntegrationsAsync("p1")).Single().Checkpoint);
    }
}
