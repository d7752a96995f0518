using System.Net;
using System.Text;
using System.Text.Json;
using Engagement.Core.Storage;
using Engagement.Functions.Datasets;
using Engagement.Functions.Exports;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Datasets;

/// <summary>The snapshot PublishDatasets writes to a folder (standalone), read back with Parquet.Net and against the CSV export.</summary>
public sealed class PublishDatasetsTests(PublishedSnapshot snapshot) : IClassFixture<PublishedSnapshot>
{
    private DatasetManifest Manifest => DatasetFiles.Manifest(snapshot.Read(DatasetPaths.Manifest));

    [Fact]
    public void TheRunByHand_AnswersWithWhatItPublished()
    {
        using var answer = JsonDocument.Parse(snapshot.RunAnswer);
        Assert.Equal("PublishDatasets", answer.RootElement.GetProperty("function").GetString());
        var logs = answer.RootElement.GetProperty("logs").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Contains(logs, l => l.StartsWith("fact_attendance: ", StringComparison.Ordinal) && l.EndsWith("rows in 2 Parquet and 2 CSV files", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.StartsWith($"published snapshot {PublishedSnapshot.Date} (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnlyAnAdmin_RunsItByHand()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await snapshot.App.CreateClient().PostAsync("/PublishDatasets", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await snapshot.App.ClientWithKey(EngagementApp.Keys.Analyst).PostAsync("/PublishDatasets", null)).StatusCode);
    }

    [Fact]
    public async Task EveryTable_InParquet_HoldsTheRowsOfTheCsvExport_RowByRow()
    {
        var manifest = Manifest;
        Assert.Equal(StarSchema.Tables.Keys, manifest.Tables.Keys);
        foreach (var table in StarSchema.Tables.Values)
        {
            var (_, exported) = DatasetFiles.ReadCsv(await snapshot.ExportAsync(table.Name));
            var published = new List<object?[]>();
            foreach (var file in manifest.Tables[table.Name].Files.Where(f => f.Format == "parquet"))
            {
                var (_, _, rows) = await DatasetFiles.ReadParquetAsync(snapshot.Read(file.Path), table);
                published.AddRange(rows);
            }

            Assert.True(exported.Count > 0, $"{table.Name}: the synthetic dataset has no rows for it");
            Assert.True(exported.Count == published.Count, $"{table.Name}: {published.Count} rows in Parquet, {exported.Count} in the CSV export");
            for (var i = 0; i < exported.Count; i++)
            {
                DatasetFiles.AssertSameRow(table, published[i], exported[i], $"{table.Name} row {i}");
            }
        }
    }

    [Fact]
    public async Task ParquetColumns_AreTyped_NullableOnlyWhereDeclared_AndRowGroupsAreBounded()
    {
        var manifest = Manifest;
        var attendance = manifest.Tables["fact_attendance"].Files.First(f => f.Format == "parquet");
        var (schema, rowGroups, rows) = await DatasetFiles.ReadParquetAsync(snapshot.Read(attendance.Path), StarSchema.Tables["fact_attendance"]);

        Assert.True(rows.Count > PublishedSnapshot.RowGroupSize);
        Assert.Equal((rows.Count + PublishedSnapshot.RowGroupSize - 1) / PublishedSnapshot.RowGroupSize, rowGroups);
        Assert.Equal(typeof(int), schema.DataFields.Single(f => f.Name == "date_key").ClrType);
        Assert.False(schema.DataFields.Single(f => f.Name == "date_key").IsNullable);
        Assert.True(schema.DataFields.Single(f => f.Name == "seconds_attended").IsNullable);
        Assert.Contains(rows, r => r[7] is null);

        var (dates, _, dateRows) = await DatasetFiles.ReadParquetAsync(snapshot.Read("dim_date/parquet/dim_date.parquet"), StarSchema.Tables["dim_date"]);
        Assert.Equal(typeof(DateOnly), dates.DataFields.Single(f => f.Name == "date").ClrType);
        Assert.All(dateRows, r => Assert.Equal(StarSchema.DateKey((DateOnly)r[1]!), r[0]));

        // Every column as the manifest describes it.
        foreach (var (name, table) in manifest.Tables)
        {
            Assert.Equal(StarSchema.Tables[name].Schema.Select(ManifestColumn.Of), table.Columns);
        }

        Assert.Equal("timestamp", manifest.Tables["dim_meeting"].Columns.Single(c => c.Name == "start").Type);
        Assert.Contains(new ManifestColumn("seconds_attended", "int32", true), manifest.Tables["fact_attendance"].Columns);
    }

    [Fact]
    public async Task CsvFiles_AreTheBytesOfTheCsvExport_AttendanceOneFilePerPartnership()
    {
        var manifest = Manifest;
        foreach (var table in StarSchema.Tables.Values)
        {
            var exported = await snapshot.ExportAsync(table.Name);
            var files = manifest.Tables[table.Name].Files.Where(f => f.Format == "csv").ToList();
            if (table.Name != "fact_attendance")
            {
                Assert.Equal(DatasetPaths.File(table.Name, "csv", table.Name), Assert.Single(files).Path);
                Assert.True(exported.AsSpan().SequenceEqual(snapshot.Read(files[0].Path)), $"{table.Name}.csv differs from the export");
                continue;
            }

            // The export is the header, then each partnership's rows in order: the split files hold exactly those.
            var partnerships = (await snapshot.App.Services.GetRequiredService<EngagementStores>().Partnerships.ListPartnershipsAsync()).Select(p => p.Id).ToList();
            Assert.Equal(partnerships, files.Select(f => f.Partnership));
            Assert.Equal(partnerships.Select(p => $"fact_attendance/csv/{p}.csv"), files.Select(f => f.Path));
            var header = DatasetFiles.Bom.Concat(Encoding.UTF8.GetBytes(string.Join(',', table.Columns) + "\r\n")).ToArray();
            var joined = header.Concat(files.SelectMany(f => snapshot.Read(f.Path).Skip(header.Length))).ToArray();
            Assert.All(files, f => Assert.True(snapshot.Read(f.Path).AsSpan().StartsWith(header)));
            Assert.True(exported.AsSpan().SequenceEqual(joined), "the attendance files joined differ from the export");
        }
    }

    [Fact]
    public void Manifest_NamesExactlyTheFilesOfTheSnapshot_WithRowsBytesAndSha256()
    {
        var manifest = Manifest;
        Assert.Equal(PublishedSnapshot.Date, manifest.Snapshot);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 5, 30, 0, TimeSpan.Zero), manifest.GeneratedAt);
        Assert.False(manifest.PersonalData);

        var onDisk = Directory.EnumerateFiles(snapshot.Folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(snapshot.Folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != DatasetPaths.Manifest)
            .Order(StringComparer.Ordinal);
        var files = manifest.Tables.Values.SelectMany(t => t.Files).ToList();
        Assert.Equal(onDisk, files.Select(f => f.Path).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var bytes = snapshot.Read(file.Path);
            Assert.Equal(bytes.Length, file.Bytes);
            Assert.Equal(DatasetFiles.Sha256(bytes), file.Sha256);
            if (file.Format == "csv")
            {
                Assert.Equal(file.Rows, DatasetFiles.ReadCsv(bytes).Rows.Count);
            }
        }

        foreach (var (name, table) in manifest.Tables)
        {
            Assert.Equal(table.Rows, table.Files.Where(f => f.Format == "parquet").Sum(f => f.Rows));
            Assert.Equal(table.Rows, table.Files.Where(f => f.Format == "csv").Sum(f => f.Rows));
        }
    }

    [Fact]
    public async Task ParquetRowCounts_AreTheManifests()
    {
        foreach (var (name, table) in Manifest.Tables)
        {
            foreach (var file in table.Files.Where(f => f.Format == "parquet"))
            {
                var (_, _, rows) = await DatasetFiles.ReadParquetAsync(snapshot.Read(file.Path), StarSchema.Tables[name]);
                Assert.Equal(file.Rows, rows.Count);
            }
        }
    }

    [Fact]
    public async Task Datasets_HoldNoPersonalData()
    {
        var (_, _, people) = await DatasetFiles.ReadParquetAsync(snapshot.Read("dim_person/parquet/dim_person.parquet"), StarSchema.Tables["dim_person"]);
        Assert.NotEmpty(people);
        Assert.All(people, p => Assert.Null(p[3]));
        Assert.All(people, p => Assert.Null(p[4]));
        Assert.All(people, p => Assert.Matches("^[0-9a-f]{32}$", (string)p[0]!));
        foreach (var file in Directory.EnumerateFiles(snapshot.Folder, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("@synthetique.example", Encoding.UTF8.GetString(File.ReadAllBytes(file)), StringComparison.Ordinal);
            Assert.DoesNotContain("Marie Tremblay", Encoding.UTF8.GetString(File.ReadAllBytes(file)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ActionPlanTables_ReadBackFromParquet_HoldTheSeededPlan()
    {
        var plan = snapshot.Plan;
        var (_, _, objectives) = await DatasetFiles.ReadParquetAsync(snapshot.Read("dim_objective/parquet/dim_objective.parquet"), StarSchema.Tables["dim_objective"]);
        var (_, _, actions) = await DatasetFiles.ReadParquetAsync(snapshot.Read("dim_action/parquet/dim_action.parquet"), StarSchema.Tables["dim_action"]);
        var (schema, _, statuses) = await DatasetFiles.ReadParquetAsync(snapshot.Read("fact_action_status/parquet/fact_action_status.parquet"), StarSchema.Tables["fact_action_status"]);

        Assert.Equal(plan.Objectives.Select(o => new object?[] { "syn-p01:" + o.Id, "syn-p01", o.Id, o.Title, o.Order }), objectives);
        Assert.Equal(
            new object?[] { "syn-p01:O1.A1", "syn-p01", "O1.A1", "syn-p01:O1", "Répertoire des ressources", "syn-p01:syn-p01-org01", "syn-p01:syn-p01-org02", new DateOnly(2026, 1, 10), new DateOnly(2026, 2, 28), "Un répertoire imprimé", new DateTime(2026, 1, 5, 14, 0, 0, DateTimeKind.Utc) },
            actions[0]);
        Assert.Equal([null, null, null, null], actions[1][6..10]);

        // One row per update, in time order, with its lateness then; never the sheets' texts.
        Assert.Equal(["u1", "u3", "u4", "u5", "u2"], statuses.Select(s => (string)s[2]!));
        Assert.Equal([false, true, true, false, true], statuses.Select(s => (bool)s[9]!));
        Assert.Equal([0, 0, 11, 0, 9], statuses.Select(s => (int)s[10]!));
        Assert.Equal([20260120, 20260125, 20260205, 20260210, 20260310], statuses.Select(s => (int)s[5]!));
        Assert.Equal(new DateTime(2026, 3, 10, 14, 0, 0, DateTimeKind.Utc), statuses[4][6]);
        Assert.Equal(Engagement.Functions.Exports.ExportContext.Of([.. Enumerable.Range(1, 32).Select(i => (byte)i)], "syn-p01", "syn-p01-org01-rep1"), statuses[0][4]);
        Assert.All(statuses, s => Assert.Equal([null, null, null], s[11..]));
        Assert.Equal(typeof(bool), schema.DataFields.Single(f => f.Name == "is_late").ClrType);
        Assert.Contains(new ManifestColumn("due_date", "date", true), Manifest.Tables["dim_action"].Columns);
    }

    [Theory]
    [InlineData("p1", "p1")]
    [InlineData("syn-p01", "syn-p01")]
    [InlineData("..", "%2E.")]
    [InlineData("table de l'Est:2", "table%20de%20l%27Est%3A2")]
    [InlineData("Côte", "C%C3%B4te")]
    public void FileName_KeepsSafeCharacters_AndEscapesTheRest(string id, string expected) =>
        Assert.Equal(expected, DatasetPaths.FileName(id));
}
