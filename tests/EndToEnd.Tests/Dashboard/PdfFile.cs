using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>
/// Just enough of a PDF file to check what Chromium printed: its page objects and its outline (the bookmarks it
/// writes from the headings with <c>Outline = true</c>), read from the objects themselves, including those packed in
/// compressed object streams.
/// </summary>
internal sealed partial class PdfFile
{
    private readonly Dictionary<int, string> _objects = [];

    private PdfFile(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        foreach (Match match in ObjectPattern().Matches(text))
        {
            _objects[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = match.Groups[2].Value;
        }

        foreach (var stream in _objects.Values.Where(o => ObjectStreamPattern().IsMatch(o)).ToList())
        {
            ReadObjectStream(stream);
        }
    }

    public static PdfFile Read(byte[] bytes) => new(bytes);

    /// <summary>Objects of type /Page (the leaves of the page tree, not /Pages).</summary>
    public int PageCount => _objects.Values.Count(o => PagePattern().IsMatch(o));

    /// <summary>The outline's titles, depth first, in document order.</summary>
    public IReadOnlyList<string> OutlineTitles()
    {
        var titles = new List<string>();
        var catalog = _objects.Values.FirstOrDefault(o => CatalogPattern().IsMatch(o));
        if (catalog is null || Reference(catalog, "Outlines") is not { } outlines || Reference(_objects[outlines], "First") is not { } first)
        {
            return titles;
        }

        var pending = new Stack<int>([first]);
        var seen = new HashSet<int>();
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            if (!seen.Add(id))
            {
                continue;
            }

            var item = _objects[id];
            titles.Add(Title(item));
            if (Reference(item, "Next") is { } next)
            {
                pending.Push(next);
            }

            if (Reference(item, "First") is { } child)
            {
                pending.Push(child);
            }
        }

        return titles;
    }

    private static int? Reference(string dictionary, string key) =>
        Regex.Match(dictionary, $@"/{key}\s+(\d+)\s+0\s+R") is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>A /Title string: literal (with its escapes) or hexadecimal; UTF-16BE after a byte order mark, else PDFDocEncoding (Latin-1 here).</summary>
    private static string Title(string dictionary)
    {
        var at = dictionary.IndexOf("/Title", StringComparison.Ordinal) + "/Title".Length;
        while (char.IsWhiteSpace(dictionary[at]))
        {
            at++;
        }

        var bytes = new List<byte>();
        if (dictionary[at] == '<')
        {
            var end = dictionary.IndexOf('>', at);
            var hex = new string([.. dictionary[(at + 1)..end].Where(Uri.IsHexDigit)]);
            bytes.AddRange(Convert.FromHexString(hex.Length % 2 == 0 ? hex : hex + "0"));
        }
        else
        {
            ReadLiteral(dictionary, at, bytes);
        }

        var raw = bytes.ToArray();
        return raw is [0xFE, 0xFF, ..] ? Encoding.BigEndianUnicode.GetString(raw, 2, raw.Length - 2) : Encoding.Latin1.GetString(raw);
    }

    private static void ReadLiteral(string text, int at, List<byte> bytes)
    {
        var depth = 0;
        for (var i = at; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                var next = text[++i];
                if (next is >= '0' and <= '7')
                {
                    var digits = new string([.. text.Skip(i).Take(3).TakeWhile(d => d is >= '0' and <= '7')]);
                    bytes.Add((byte)Convert.ToInt32(digits, 8));
                    i += digits.Length - 1;
                }
                else if (next is not ('\r' or '\n'))
                {
                    bytes.Add((byte)(next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', _ => next }));
                }
            }
            else if (c == '(' && depth++ == 0)
            {
                continue;
            }
            else if (c == ')' && --depth == 0)
            {
                return;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }
    }

    /// <summary>A compressed object stream: N pairs of (object number, offset), then the objects.</summary>
    private void ReadObjectStream(string stream)
    {
        var start = stream.IndexOf("stream", StringComparison.Ordinal) + "stream".Length;
        start += stream[start] == '\r' ? 2 : 1;
        var end = stream.LastIndexOf("endstream", StringComparison.Ordinal);
        using var inflated = new ZLibStream(new MemoryStream(Encoding.Latin1.GetBytes(stream[start..end])), CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, Encoding.Latin1);
        var content = reader.ReadToEnd();
        var count = int.Parse(Regex.Match(stream, @"/N\s+(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var first = int.Parse(Regex.Match(stream, @"/First\s+(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var header = content[..first].Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        for (var n = 0; n < count; n++)
        {
            var from = first + header[(2 * n) + 1];
            var to = n + 1 < count ? first + header[(2 * n) + 3] : content.Length;
            _objects[header[2 * n]] = content[from..to];
        }
    }

    [GeneratedRegex(@"(\d+)\s+0\s+obj\b(.*?)\bendobj", RegexOptions.Singleline)]
    private static partial Regex ObjectPattern();

    [GeneratedRegex(@"/Type\s*/ObjStm\b")]
    private static partial Regex ObjectStreamPattern();

    [GeneratedRegex(@"/Type\s*/Page(?![A-Za-z])")]
    private static partial Regex PagePattern();

    [GeneratedRegex(@"/Type\s*/Catalog\b")]
    private static partial Regex CatalogPattern();
}
