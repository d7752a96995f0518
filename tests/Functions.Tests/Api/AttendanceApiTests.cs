using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Engagement.Functions.Tests.Api;

public sealed class AttendanceApiTests : IAsyncLifetime
{
    private readonly EngagementApp _app = new();

    public async Task InitializeAsync() => await _app.SeedAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static object Batch(params object[] records) => new { partnershipId = "p1", records };

    [Fact]
    public async Task PostJson_SameBatchTwice_StoresOnceAndReportsUnchanged()
    {
        var client = _app.ClientWithKey(EngagementApp.Keys.Ingest);
        var batch = Batch(
            new { meetingId = "m1", personId = "marie", status = "present" },
            new { meetingId = "m1", personId = "jean", status = "absent" },
            new { meetingId = "m2", personId = "marie", status = "present", secondsAttended = 5400 });

        Problem.AssertCounts(await Problem.JsonAsync(await client.PostAsJsonAsync("/api/attendance", batch)), 3, 0, 0);
        Problem.AssertCounts(await Problem.JsonAsync(await client.PostAsJsonAsync("/api/attendance", batch)), 0, 0, 3);

        var meeting = await Problem.JsonAsync(await _app.Admin().GetAsync("/api/partnerships/p1/meetings/m1/attendance"));
        Assert.Equal(2, meeting.GetProperty("records").GetArrayLength());
        Assert.Equal(1, meeting.GetProperty("meeting").GetProperty("attendance").GetProperty("present").GetInt32());
    }

    [Fact]
    public async Task PostJson_ChangedStatus_ReportsUpdated()
    {
        var client = _app.ClientWithKey(EngagementApp.Keys.Ingest);
        await client.PostAsJsonAsync("/api/attendance", Batch(new { meetingId = "m1", personId = "marie", status = "absent" }));
        var response = await client.PostAsJsonAsync("/api/attendance", Batch(new { meetingId = "m1", personId = "marie", status = "excused" }));
        Problem.AssertCounts(await Problem.JsonAsync(response), 0, 1, 0);
    }

    [Fact]
    public async Task PostJson_AnyInvalidRecord_WritesNothingAndNamesEachIndexAndField()
    {
        var client = _app.ClientWithKey(EngagementApp.Keys.Ingest);
        var response = await client.PostAsJsonAsync("/api/attendance", Batch(
            new { meetingId = "m1", personId = "marie", status = "present" },
            new { meetingId = "m9", personId = "jean", status = "present" },
            new { meetingId = "m1", personId = "ghost", status = "maybe" },
            new { meetingId = "m1", personId = "marie", status = "absent" }));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "records[1].meetingId", "records[2].personId", "records[2].status", "records[3].personId");
        var meetings = await Problem.JsonAsync(await _app.Admin().GetAsync("/api/partnerships/p1/meetings"));
        Assert.All(meetings.EnumerateArray(), m => Assert.Equal(0, m.GetProperty("attendance").GetProperty("present").GetInt32()));
    }

    [Fact]
    public async Task PostJson_UnknownPartnership_NamesTheField()
    {
        var response = await _app.Admin().PostAsJsonAsync("/api/attendance", new { partnershipId = "nowhere", records = new[] { new { meetingId = "m1", personId = "marie", status = "present" } } });
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "partnershipId");
    }

    [Fact]
    public async Task PostJson_MoreThan5000Records_Answers413()
    {
        var records = Enumerable.Range(0, 5001).Select(i => new { meetingId = "m1", personId = $"p{i}", status = "present" }).ToArray();
        var response = await _app.Admin().PostAsJsonAsync("/api/attendance", new { partnershipId = "p1", records });
        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "records");
    }

    [Fact]
    public async Task PostJson_BodyOver8MiB_Answers413()
    {
        var filler = new string('x', 9 * 1024 * 1024);
        var response = await _app.Admin().PostAsync("/api/attendance", new StringContent($$"""{"partnershipId":"p1","records":[],"pad":"{{filler}}"}""", Encoding.UTF8, "application/json"));
        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
    }

    [Fact]
    public async Task Post_WrongContentType_Answers415()
    {
        var response = await _app.Admin().PostAsync("/api/attendance", new StringContent("<xml/>", Encoding.UTF8, "application/xml"));
        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Fact]
    public async Task PostCsv_SemicolonFrenchHeadersAndBom_StoresRows()
    {
        var csv = "\uFEFFrencontre;personne;statut;secondes\nm1;marie;Présente;3600\nm1;jean;Excusé;\n";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var response = await _app.ClientWithKey(EngagementApp.Keys.Ingest).PostAsync("/api/attendance?partnershipId=p1", content);

        Problem.AssertCounts(await Problem.JsonAsync(response), 2, 0, 0);
        var meeting = await Problem.JsonAsync(await _app.Admin().GetAsync("/api/partnerships/p1/meetings/m1/attendance"));
        var records = meeting.GetProperty("records").EnumerateArray().ToDictionary(r => r.GetProperty("personId").GetString()!, r => r);
        Assert.Equal("excused", records["jean"].GetProperty("status").GetString());
        Assert.Equal(3600, records["marie"].GetProperty("secondsAttended").GetInt32());
    }

    [Fact]
    public async Task PostCsv_CommaWithPartnershipColumn_StoresRows()
    {
        var csv = "partnershipId,meetingId,personId,status\np1,m2,luc,present\n";
        var response = await _app.Admin().PostAsync("/api/attendance", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Problem.AssertCounts(await Problem.JsonAsync(response), 1, 0, 0);
    }

    [Fact]
    public async Task PostCsv_BadRow_NamesRecordIndexAndStoresNothing()
    {
        var csv = "meetingId,personId,status\nm1,marie,present\nm1,jean,peut-être\n";
        var response = await _app.Admin().PostAsync("/api/attendance?partnershipId=p1", new StringContent(csv, Encoding.UTF8, "text/csv"));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "records[1].status");
        var meeting = await Problem.JsonAsync(await _app.Admin().GetAsync("/api/partnerships/p1/meetings/m1/attendance"));
        Assert.Equal(0, meeting.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task PostCsv_MissingColumn_NamesIt()
    {
        var response = await _app.Admin().PostAsync("/api/attendance?partnershipId=p1", new StringContent("meetingId,personId\nm1,marie\n", Encoding.UTF8, "text/csv"));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "columns.status");
    }

    [Fact]
    public async Task PostCsv_NotUtf8_SaysSo()
    {
        var bytes = Encoding.Latin1.GetBytes("meetingId;personId;status\nm1;marie;présente\n");
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await _app.Admin().PostAsync("/api/attendance?partnershipId=p1", content);
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "body");
    }

    [Fact]
    public async Task PostMultipart_OneCsvFile_StoresRows()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("meetingId;personId;status\nm1;marie;present\nm2;marie;absent\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "presences.csv");
        form.Add(new StringContent("p1"), "partnershipId");

        var response = await _app.Admin().PostAsync("/api/attendance", form);
        Problem.AssertCounts(await Problem.JsonAsync(response), 2, 0, 0);
    }
}
