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

    [Fact]
    public async Task PostCsv_AProblemWithARecord_NamesItsSpreadsheetLine_BesideTheRecord()
    {
        // Line 1 the header, line 2 fine, line 3 blank (skipped), line 4 an unknown status, line 5 bad seconds.
        var csv = "meetingId;personId;status;secondsAttended\nm1;marie;present;3600\n\nm1;jean;maybe;\nm2;jean;present;lots\n";

        var response = await _app.Admin().PostAsync("/api/attendance?partnershipId=p1", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var errors = (await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "records[2].secondsAttended")).GetProperty("errors");
        Assert.StartsWith("Line 5: ", errors.GetProperty("records[2].secondsAttended")[0].GetString(), StringComparison.Ordinal);
        await AssertNoAttendanceAsync();

        var again = await _app.Admin().PostAsync("/api/attendance?partnershipId=p1", new StringContent(csv.Replace(";lots", ";60", StringComparison.Ordinal), Encoding.UTF8, "text/csv"));
        var status = (await Problem.AssertAsync(again, HttpStatusCode.BadRequest, "records[1].status")).GetProperty("errors").GetProperty("records[1].status")[0].GetString();
        Assert.StartsWith("Line 4: ", status, StringComparison.Ordinal);
        await AssertNoAttendanceAsync();
    }

    [Fact]
    public async Task PostJson_AProblemWithARecord_HasNoLine()
    {
        var response = await _app.Admin().PostAsJsonAsync("/api/attendance", Batch(new { meetingId = "m1", personId = "marie", status = "maybe" }));

        var message = (await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "records[0].status")).GetProperty("errors").GetProperty("records[0].status")[0].GetString();
        Assert.DoesNotContain("Line", message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> MalformedUploads => new()
    {
        // No boundary in the content type.
        { "multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nmeetingId;personId;status\r\n--x--\r\n", "Content-Type" },
        // A boundary the body never uses.
        { "multipart/form-data; boundary=absent", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nm1;marie;present\r\n--x--\r\n", "body" },
        // Truncated in the middle of the file part.
        { "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nmeetingId;personId;status\r\nm1;ma", "body" },
        // More than 16 KiB before the first boundary.
        { "multipart/form-data; boundary=x", new string('a', 17 * 1024) + "\r\n--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nm1;marie;present\r\n--x--\r\n", "body" },
        // Two files.
        { "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nmeetingId;personId;status\r\nm1;marie;present\r\n--x\r\nContent-Disposition: form-data; name=\"other\"; filename=\"b.csv\"\r\n\r\nmeetingId;personId;status\r\nm2;marie;present\r\n--x--\r\n", "file" },
        // No file at all.
        { "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"partnershipId\"\r\n\r\np1\r\n--x--\r\n", "file" },
    };

    [Theory]
    [MemberData(nameof(MalformedUploads))]
    public async Task PostMultipart_Malformed_Is400NamingWhatIsWrong_AndStoresNothing(string contentType, string body, string field)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await _app.Admin().PostAsync("/api/attendance?partnershipId=p1", content);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
        await AssertNoAttendanceAsync();
    }

    [Fact]
    public async Task PostMultipart_ChunkedOverTheLimit_Is413_AndStoresNothing()
    {
        // Without Content-Length (chunked), the limit holds on the bytes read: 9 MiB of valid CSV rows in one file.
        var head = Encoding.UTF8.GetBytes("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nmeetingId;personId;status\r\n");
        var row = Encoding.UTF8.GetBytes("m1;marie;present\r\n");
        var tail = Encoding.UTF8.GetBytes("--x--\r\n");
        var stream = new MemoryStream();
        stream.Write(head);
        while (stream.Length < 9 * 1024 * 1024)
        {
            stream.Write(row);
        }

        stream.Write(tail);
        stream.Position = 0;
        var content = new StreamContent(new UnseekableStream(stream));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/attendance?partnershipId=p1") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _app.Admin().SendAsync(request);

        await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        await AssertNoAttendanceAsync();
    }

    private async Task AssertNoAttendanceAsync()
    {
        var meeting = await Problem.JsonAsync(await _app.Admin().GetAsync("/api/partnerships/p1/meetings/m1/attendance"));
        Assert.Equal(0, meeting.GetProperty("records").GetArrayLength());
    }

    /// <summary>A stream whose length is unknown, so that the client sends it chunked.</summary>
    private sealed class UnseekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
