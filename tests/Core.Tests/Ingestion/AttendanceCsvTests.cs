using System.Text;
using Engagement.Core.Ingestion;
using Engagement.Core.Validation;

namespace Engagement.Core.Tests.Ingestion;

public class AttendanceCsvTests
{
    [Fact]
    public async Task ParseAsync_CommaSeparated_ReadsEveryRow()
    {
        var batch = await ParseBytesAsync(Utf8("meetingId,personId,status,secondsAttended\nm1,marie,present,3600\nm1,paul,absent,\n"), "p1");

        Assert.Equal("p1", batch.PartnershipId);
        Assert.Collection(batch.Records!,
            r => Assert.Equal(("p1", "m1", "marie", "present", (long?)3600), (r!.PartnershipId, r.MeetingId, r.PersonId, r.Status, r.SecondsAttended)),
            r => Assert.Equal(("p1", "m1", "paul", "absent", (long?)null), (r!.PartnershipId, r.MeetingId, r.PersonId, r.Status, r.SecondsAttended)));
    }

    [Fact]
    public async Task ParseAsync_SemicolonSeparatedWithFrenchHeaders_ReadsEveryRow()
    {
        var batch = await ParseBytesAsync(Utf8("Rencontre;Personne;Statut\r\nm1;marie;Présente\r\nm1;paul;Excusé\r\n"), "p1");

        Assert.Equal(["Présente", "Excusé"], batch.Records!.Select(r => r!.Status));
        Assert.Equal(["marie", "paul"], batch.Records!.Select(r => r!.PersonId));
    }

    [Fact]
    public async Task ParseAsync_Utf8Bom_IsIgnored()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Utf8("meetingId;personId;status\nm1;josée;présente\n")).ToArray();

        var batch = await ParseBytesAsync(bytes, "p1");

        var record = Assert.Single(batch.Records!);
        Assert.Equal(("m1", "josée", "présente"), (record!.MeetingId, record.PersonId, record.Status));
    }

    [Fact]
    public void Parse_BomCharacterInText_IsIgnoredInTheHeader()
    {
        var batch = AttendanceCsv.Parse("\uFEFFmeetingId,personId,status\nm1,marie,present\n", "p1");

        Assert.Equal("m1", Assert.Single(batch.Records!)!.MeetingId);
    }

    [Fact]
    public void Parse_HeadersWithSpacesUnderscoresAndAnyOrder_AreMatched()
    {
        var batch = AttendanceCsv.Parse("Statut, Person_ID ,Meeting Id,Partenariat\nprésent,marie,m1,p1\n", partnershipId: null);

        Assert.Equal("p1", batch.PartnershipId);
        var record = Assert.Single(batch.Records!);
        Assert.Equal(("p1", "m1", "marie", "présent"), (record!.PartnershipId, record.MeetingId, record.PersonId, record.Status));
    }

    [Fact]
    public void Parse_QuotedFieldsContainingSeparators_AreKeptWhole()
    {
        var comma = AttendanceCsv.Parse("meetingId,personId,status\n\"2026-01-13, soir\",\"Roy, Paul\",present\n", "p1");
        var semicolon = AttendanceCsv.Parse("meetingId;personId;status\n\"ag;2026\";\"a;b\";absent\n", "p1");

        Assert.Equal(("2026-01-13, soir", "Roy, Paul"), (comma.Records![0]!.MeetingId, comma.Records[0]!.PersonId));
        Assert.Equal(("ag;2026", "a;b"), (semicolon.Records![0]!.MeetingId, semicolon.Records[0]!.PersonId));
    }

    [Fact]
    public void Parse_BlankLinesAndCells_AreSkippedOrNull()
    {
        var batch = AttendanceCsv.Parse("meetingId,personId,status\n\nm1,marie,present\n,,\nm1,  ,absent\n", "p1");

        Assert.Equal(2, batch.Records!.Count);
        Assert.Null(batch.Records[1]!.PersonId);
    }

    [Fact]
    public void Parse_MissingStatusColumn_NamesColumnsStatus()
    {
        var ex = Assert.Throws<ValidationFailedException>(() => AttendanceCsv.Parse("meetingId,personId,presentOrNot\nm1,marie,yes\n", "p1"));

        Assert.Equal(["columns.status"], ex.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Parse_DuplicateColumn_IsRefused()
    {
        var ex = Assert.Throws<ValidationFailedException>(() => AttendanceCsv.Parse("meetingId,personId,status,statut\nm1,marie,present,absent\n", "p1"));

        Assert.True(ex.Errors.Contains("columns.status"));
    }

    [Fact]
    public void Parse_NoPartnershipColumnNorQuery_NamesPartnershipId()
    {
        var ex = Assert.Throws<ValidationFailedException>(() => AttendanceCsv.Parse("meetingId,personId,status\nm1,marie,present\n", partnershipId: null));

        Assert.True(ex.Errors.Contains("partnershipId"));
    }

    [Fact]
    public void Parse_TwoPartnershipsWithoutQueryParameter_IsRefused()
    {
        var ex = Assert.Throws<ValidationFailedException>(() =>
            AttendanceCsv.Parse("partnershipId,meetingId,personId,status\np1,m1,marie,present\np2,m1,paul,present\n", partnershipId: null));

        Assert.Equal(["partnershipId"], ex.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Parse_RowPartnershipDiffersFromQuery_KeepsTheRowValueForValidation()
    {
        var batch = AttendanceCsv.Parse("partnershipId,meetingId,personId,status\np2,m1,marie,present\n", "p1");

        Assert.Equal("p1", batch.PartnershipId);
        Assert.Equal("p2", batch.Records![0]!.PartnershipId);
    }

    [Fact]
    public void Parse_SecondsNotANumber_NamesTheRecord()
    {
        var ex = Assert.Throws<ValidationFailedException>(() => AttendanceCsv.Parse("meetingId,personId,status,secondes\nm1,marie,present,1h\nm1,paul,present,2x\n", "p1"));

        Assert.Equal(["records[0].secondsAttended", "records[1].secondsAttended"], ex.Errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ParseAsync_Windows1252Bytes_NamesBody()
    {
        // "présente" saved by Excel as "CSV (séparateur: point-virgule)": é is the single byte 0xE9.
        var bytes = Utf8("meetingId;personId;status\nm1;marie;pr").Concat(new byte[] { 0xE9 }).Concat(Utf8("sente\n")).ToArray();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => ParseBytesAsync(bytes, "p1"));

        Assert.Equal(["body"], ex.Errors.ToDictionary().Keys);
    }

    [Fact]
    public async Task ParseAsync_BomFollowedByInvalidBytes_NamesBody()
    {
        // Excel's "CSV UTF-8" writes a BOM; rows pasted from a Windows-1252 file must still be refused as not UTF-8.
        var bytes = Encoding.UTF8.GetPreamble()
            .Concat(Utf8("meetingId;personId;status\nm1;marie;pr")).Concat(new byte[] { 0xE9 }).Concat(Utf8("sente\n")).ToArray();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => ParseBytesAsync(bytes, "p1"));

        Assert.Equal(["body"], ex.Errors.ToDictionary().Keys);
    }

    [Fact]
    public async Task ParseAsync_Empty_NamesBody()
    {
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => ParseBytesAsync([], "p1"));

        Assert.True(ex.Errors.Contains("body"));
    }

    [Fact]
    public void Parse_ExactlyMaxRows_IsAccepted()
    {
        var batch = AttendanceCsv.Parse(Rows(IngestionService.MaxBatchSize), "p1");

        Assert.Equal(IngestionService.MaxBatchSize, batch.Records!.Count);
    }

    [Fact]
    public void Parse_MoreThanMaxRows_ThrowsBatchTooLarge()
    {
        var ex = Assert.Throws<BatchTooLargeException>(() => AttendanceCsv.Parse(Rows(IngestionService.MaxBatchSize + 1), "p1"));

        Assert.Equal("records", ex.Field);
    }

    private static string Rows(int count)
    {
        var builder = new StringBuilder("meetingId,personId,status\n");
        for (var i = 0; i < count; i++)
        {
            builder.Append("m1,person-").Append(i).Append(",present\n");
        }

        return builder.ToString();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<AttendanceBatchInput> ParseBytesAsync(byte[] bytes, string? partnershipId)
    {
        using var stream = new MemoryStream(bytes);
        return await AttendanceCsv.ParseAsync(stream, partnershipId);
    }
}
