using Engagement.Functions.Exports;
using Parquet;
using Parquet.Schema;

namespace Engagement.Functions.Datasets;

/// <summary>
/// Writes a star-schema table's rows as one Parquet file, streamed: the rows are copied into typed column buffers and
/// written as a row group each time <c>rowGroupSize</c> rows have gathered, so memory holds one row group, never the
/// table. Columns are typed as the schema declares them: text as UTF-8 strings, integers as INT32, doubles, booleans,
/// dates as DATE, instants as TIMESTAMP (milliseconds, adjusted to UTC); nullable only where the schema says so.
/// </summary>
internal sealed class ParquetTableWriter : IAsyncDisposable
{
    private readonly ParquetWriter _writer;
    private readonly ColumnBuffer[] _columns;
    private readonly int _rowGroupSize;
    private int _count;

    private ParquetTableWriter(ParquetWriter writer, ColumnBuffer[] columns, int rowGroupSize)
    {
        _writer = writer;
        _columns = columns;
        _rowGroupSize = rowGroupSize;
    }

    /// <summary>The Parquet schema of a star-schema table.</summary>
    public static ParquetSchema SchemaOf(StarTable table) => new(table.Schema.Select(Field));

    public static async Task<ParquetTableWriter> CreateAsync(StarTable table, Stream output, int rowGroupSize, CancellationToken cancellationToken)
    {
        var schema = SchemaOf(table);
        var columns = table.Schema.Select((column, i) => ColumnBuffer.For(table.Name, column, schema.DataFields[i], rowGroupSize)).ToArray();

        // Snappy: the codec every Parquet reader has (Power BI, Fabric, pandas, Spark).
        var writer = await ParquetWriter.CreateAsync(schema, output, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: cancellationToken);
        return new ParquetTableWriter(writer, columns, rowGroupSize);
    }

    /// <summary>Adds a row (its first values are the table's columns, in order); writes a row group when one is full.</summary>
    public async ValueTask AddAsync(object?[] row, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Set(_count, row[i]);
        }

        if (++_count == _rowGroupSize)
        {
            await WriteRowGroupAsync(cancellationToken);
        }
    }

    /// <summary>Writes the last, partial row group. The file's footer is written on dispose.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken) => WriteRowGroupAsync(cancellationToken);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private async Task WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        if (_count == 0)
        {
            return;
        }

        using (var group = _writer.CreateRowGroup())
        {
            foreach (var column in _columns)
            {
                await column.WriteAsync(group, _count, cancellationToken);
            }
        }

        _count = 0;
    }

    private static DataField Field(StarColumn column) => column.Type switch
    {
        ColumnType.Text => new DataField<string>(column.Name, column.Nullable),
        ColumnType.Integer => column.Nullable ? new DataField<int?>(column.Name) : new DataField<int>(column.Name, false),
        ColumnType.Double => column.Nullable ? new DataField<double?>(column.Name) : new DataField<double>(column.Name, false),
        ColumnType.Boolean => column.Nullable ? new DataField<bool?>(column.Name) : new DataField<bool>(column.Name, false),
        ColumnType.Date => column.Nullable ? new DataField<DateOnly?>(column.Name) : new DataField<DateOnly>(column.Name, false),
        ColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: column.Nullable),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
    };

    /// <summary>One column's values of the row group being gathered.</summary>
    private abstract class ColumnBuffer(string table, StarColumn column)
    {
        protected StarColumn Column => column;

        // Buffers start small and double up to the row group's size: a table of a few rows takes a few bytes.
        protected const int InitialSize = 1024;

        protected static TValue[] Room<TValue>(ref TValue[] values, int row, int size)
        {
            if (row == values.Length)
            {
                Array.Resize(ref values, Math.Min(values.Length * 2, size));
            }

            return values;
        }

        public abstract void Set(int row, object? value);

        public abstract Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken cancellationToken);

        protected InvalidOperationException Unexpected(object? value) => new(value is null
            ? $"{table}.{column.Name} is declared not nullable, and a row has no value for it."
            : $"{table}.{column.Name} is declared {column.Type}, and a row has a {value.GetType().Name} for it.");

        public static ColumnBuffer For(string table, StarColumn column, DataField field, int size) => column.Type switch
        {
            ColumnType.Text => new TextBuffer(table, column, field, size),
            ColumnType.Integer => ValueBuffer<int>.Create(table, column, field, size, v => v is int i ? i : null),
            ColumnType.Double => ValueBuffer<double>.Create(table, column, field, size, v => v is double d ? d : null),
            ColumnType.Boolean => ValueBuffer<bool>.Create(table, column, field, size, v => v is bool b ? b : null),
            ColumnType.Date => ValueBuffer<DateOnly>.Create(table, column, field, size, v => v is DateOnly d ? d : null),
            ColumnType.Timestamp => ValueBuffer<DateTime>.Create(table, column, field, size, v => v is DateTimeOffset d ? d.UtcDateTime : null),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "Unknown column type."),
        };
    }

    private sealed class TextBuffer(string table, StarColumn column, DataField field, int size) : ColumnBuffer(table, column)
    {
        private string?[] _values = new string?[Math.Min(size, InitialSize)];

        public override void Set(int row, object? value) =>
            Room(ref _values, row, size)[row] = value switch
            {
                string text => text,
                null when Column.Nullable => null,
                _ => throw Unexpected(value),
            };

        public override Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken cancellationToken) =>
            group.WriteAsync(field, new ArraySegment<string?>(_values, 0, count)!);
    }

    private abstract class ValueBuffer<T>(string table, StarColumn column) : ColumnBuffer(table, column)
        where T : struct
    {
        public static ValueBuffer<T> Create(string table, StarColumn column, DataField field, int size, Func<object?, T?> convert) =>
            column.Nullable ? new Nullable(table, column, field, size, convert) : new Required(table, column, field, size, convert);

        private sealed class Required(string table, StarColumn column, DataField field, int size, Func<object?, T?> convert) : ValueBuffer<T>(table, column)
        {
            private T[] _values = new T[Math.Min(size, InitialSize)];

            public override void Set(int row, object? value) => Room(ref _values, row, size)[row] = convert(value) ?? throw Unexpected(value);

            public override Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken cancellationToken) =>
                group.WriteAsync<T>(field, _values.AsMemory(0, count), cancellationToken: cancellationToken);
        }

        private sealed class Nullable(string table, StarColumn column, DataField field, int size, Func<object?, T?> convert) : ValueBuffer<T>(table, column)
        {
            private T?[] _values = new T?[Math.Min(size, InitialSize)];

            public override void Set(int row, object? value) => Room(ref _values, row, size)[row] = value is null ? null : convert(value) ?? throw Unexpected(value);

            public override Task WriteAsync(ParquetRowGroupWriter group, int count, CancellationToken cancellationToken) =>
                group.WriteAsync<T>(field, _values.AsMemory(0, count), cancellationToken: cancellationToken);
        }
    }
}
