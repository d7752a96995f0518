using System.Text;

namespace Engagement.Functions.Datasets;

/// <summary>The layout of a snapshot: <c>{yyyy-MM-dd}/{table}/parquet/{file}.parquet</c>, the same under <c>csv/</c>, and <c>_manifest.json</c>.</summary>
internal static class DatasetPaths
{
    public const string Manifest = "_manifest.json";

    public const string SnapshotFormat = "yyyy-MM-dd";

    /// <summary>A table's file of one format, relative to the snapshot: <c>{table}/{format}/{name}.{format}</c>.</summary>
    public static string File(string table, string format, string name) => $"{table}/{format}/{name}.{format}";

    /// <summary>
    /// A file name for a partnership id: ids may hold characters a file system or a URL treats specially (spaces,
    /// <c>:</c>, <c>%</c>, a leading dot), so anything but ASCII letters, digits, <c>-</c>, <c>_</c> and an inner <c>.</c>
    /// is written as <c>%XX</c> of its UTF-8 bytes. The manifest gives each file's partnership as it is.
    /// </summary>
    public static string FileName(string id)
    {
        var name = new StringBuilder(id.Length);
        foreach (var b in Encoding.UTF8.GetBytes(id))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c == '.' && name.Length > 0))
            {
                name.Append(c);
            }
            else
            {
                name.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return name.ToString();
    }

    public static string ContentType(string path) =>
        path.EndsWith(".parquet", StringComparison.Ordinal) ? "application/vnd.apache.parquet"
        : path.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv; charset=utf-8"
        : "application/json; charset=utf-8";
}
