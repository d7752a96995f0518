using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Engagement.Functions.Datasets;
using Engagement.Functions.Exports;
using Parquet;
using Parquet.Schema;

namespace Engagement.Functions.Tests.Datasets;

/// <summary>Reads what PublishDatasets wrote, independently of how it wrote it: Parquet with Parquet.Net's reader, CSV with CsvHelper.</summary>
internal static class DatasetFiles
{
    public static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static DatasetManifest Manifest(byte[] json) => JsonSerializer.Deserialize(json, DatasetManifestJson.Default.DatasetManifest)!;

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A Parquet file's rows, each value as the CLR type of its column (text, int, double, bool, DateOnly, UTC DateTime, or null).</summary>
    public static async Task<(ParquetSchema Schema, int RowGroups, List<object?[]> Rows)> ReadParquetAsync(byte[] file, StarTable table)
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file), new ParquetOptions { UseDateOnlyTypeForDates = true });
        var fields = reader.Schema.DataFields;
        Assert.Equal(table.Columns, fields.Select(f => f.Name));
        var rows = new List<object?[]>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            var columns = new object?[fields.Length][];
            for (var c = 0; c < fields.Length; c++)
            {
                columns[c] = await ReadColumnAsync(group, fields[c], table.Schema[c], count);
            }

            for (var r = 0; r < count; r++)
            {
                rows.Add([.. columns.Select(column => column[r])]);
            }
        }

        return (reader.Schema, reader.RowGroupCount, rows);
    }

    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, StarColumn column, int count)
    {
        Assert.True(column.Nullable == field.IsNullable, $"{field.Name}: nullable {field.IsNullable} in the file, {column.Nullable} in the schema");
        return column.Type switch
        {
            ColumnType.Text => await ReadTextAsync(group, field, count),
            ColumnType.Integer => await ReadValuesAsync<int>(group, field, column.Nullable, count),
            ColumnType.Double => await ReadValuesAsync<double>(group, field, column.Nullable, count),
            ColumnType.Boolean => await ReadValuesAsync<bool>(group, field, column.Nullable, count),
            ColumnType.Date => await ReadValuesAsync<DateOnly>(group, field, column.Nullable, count),
            ColumnType.Timestamp => await ReadTimestampsAsync(group, field, column.Nullable, count),
            _ => throw new InvalidOperationException(column.Type.ToString()),
        };
    }

    private static async Task<object?[]> ReadTextAsync(ParquetRowGroupReader group, DataField field, int count)
    {
        var values = new string?[count];
        await group.ReadAsync(field, values.AsMemory());
        return values;
    }

    private static async Task<object?[]> ReadValuesAsync<T>(ParquetRowGroupReader group, DataField field, bool nullable, int count)
        where T : struct
    {
        Assert.Equal(typeof(T), field.ClrType);
        if (nullable)
        {
            var values = new T?[count];
            await group.ReadAsync<T>(field, values.AsMemory());
            return [.. values.Select(v => v is { } x ? (object)x : null)];
        }

        var required = new T[count];
        await group.ReadAsync<T>(field, required.AsMemory());
        return [.. required.Select(v => (object)v)];
    }

    private static async Task<object?[]> ReadTimestampsAsync(ParquetRowGroupReader group, DataField field, bool nullable, int count)
    {
        var timestamp = Assert.IsType<DateTimeDataField>(field);
        Assert.Equal(DateTimeFormat.Timestamp, timestamp.DateTimeFormat);
        Assert.True(timestamp.IsAdjustedToUTC);
        return await ReadValuesAsync<DateTime>(group, field, nullable, count);
    }

    /// <summary>A CSV file's header and rows (the byte-order mark first, as the export writes it).</summary>
    public static (string[] Header, List<string[]> Rows) ReadCsv(byte[] file)
    {
        Assert.Equal(Bom, file[..3]);
        using var csv = new CsvReader(new StringReader(Encoding.UTF8.GetString(file.AsSpan(3))), CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add([.. Enumerable.Range(0, csv.HeaderRecord!.Length).Select(i => csv.GetField(i) ?? string.Empty)]);
        }

        return (csv.HeaderRecord!, rows);
    }

    /// <summary>Asserts that a Parquet row holds the values the CSV row spells, column by column, by the column's type.</summary>
    public static void AssertSameRow(StarTable table, object?[] parquet, string[] csv, string where)
    {
        for (var c = 0; c < table.Schema.Count; c++)
        {
            var column = table.Schema[c];
            var value = parquet[c];
            var text = csv[c];
            var same = value is null
                ? text.Length == 0 && column.Nullable
                : column.Type switch
                {
                    ColumnType.Text => text == Engagement.Functions.Exports.ExportsApi.Neutralised((string)value),
                    ColumnType.Integer => text == ((int)value).ToString(CultureInfo.InvariantCulture),
                    ColumnType.Double => double.Parse(text, CultureInfo.InvariantCulture) == (double)value,
                    ColumnType.Boolean => text == ((bool)value ? "true" : "false"),
                    ColumnType.Date => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture) == (DateOnly)value,
                    // CSV keeps the offset to the second; Parquet the UTC instant to the millisecond.
                    ColumnType.Timestamp => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime == TruncateToSeconds((DateTime)value),
                    _ => false,
                };
            Assert.True(same, $"{where}, {column.Name}: Parquet has '{value}', CSV has '{text}'");
        }
    }


    private static DateTime TruncateToSeconds(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
