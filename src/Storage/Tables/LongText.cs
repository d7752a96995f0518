using System.Text;

namespace Engagement.Storage.Tables;

/// <summary>
/// Text longer than one property may hold (32 K UTF-16 code units, 64 KiB), as the store has always written it: over
/// <c>{name}0</c>, <c>{name}1</c>… with the count in <c>{name}Parts</c>, never splitting a surrogate pair. A row
/// declares its parts as public fields (<c>Answers0</c> … <c>Answers15</c>) so that one call can fill them by
/// reference; sixteen parts are more than the service's 1 MiB per entity can hold, and that limit is checked before
/// sending, so nothing is ever truncated.
/// </summary>
internal static class LongText
{
    /// <summary>Parts a row declares for each long text.</summary>
    public const int MaxParts = 16;

    /// <summary>The text held by the first <paramref name="count"/> parts, or null when the row holds none.</summary>
    public static string? Join(int? count, params ReadOnlySpan<string?> parts)
    {
        if (count is not > 0)
        {
            return null;
        }

        var text = new StringBuilder();
        for (var i = 0; i < Math.Min(count.Value, parts.Length); i++)
        {
            text.Append(parts[i]);
        }

        return text.ToString();
    }

    /// <summary>
    /// Splits <paramref name="text"/> over the parts (the unused ones become null) and returns how many it took, or
    /// null for a null text. An empty text takes one empty part.
    /// </summary>
    public static int? Split(
        string name,
        string? text,
        ref string? part0,
        ref string? part1,
        ref string? part2,
        ref string? part3,
        ref string? part4,
        ref string? part5,
        ref string? part6,
        ref string? part7,
        ref string? part8,
        ref string? part9,
        ref string? part10,
        ref string? part11,
        ref string? part12,
        ref string? part13,
        ref string? part14,
        ref string? part15)
    {
        var parts = Split(text);
        if (parts.Count > MaxParts)
        {
            throw new RecordTooLargeException($"'{name}' holds {text!.Length} characters; a record holds at most {MaxParts * TableLimits.MaxStringLength}.");
        }

        part0 = parts.Count > 0 ? parts[0] : null;
        part1 = parts.Count > 1 ? parts[1] : null;
        part2 = parts.Count > 2 ? parts[2] : null;
        part3 = parts.Count > 3 ? parts[3] : null;
        part4 = parts.Count > 4 ? parts[4] : null;
        part5 = parts.Count > 5 ? parts[5] : null;
        part6 = parts.Count > 6 ? parts[6] : null;
        part7 = parts.Count > 7 ? parts[7] : null;
        part8 = parts.Count > 8 ? parts[8] : null;
        part9 = parts.Count > 9 ? parts[9] : null;
        part10 = parts.Count > 10 ? parts[10] : null;
        part11 = parts.Count > 11 ? parts[11] : null;
        part12 = parts.Count > 12 ? parts[12] : null;
        part13 = parts.Count > 13 ? parts[13] : null;
        part14 = parts.Count > 14 ? parts[14] : null;
        part15 = parts.Count > 15 ? parts[15] : null;
        return text is null ? null : parts.Count;
    }

    private static List<string> Split(string? text)
    {
        var parts = new List<string>();
        if (text is null)
        {
            return parts;
        }

        var offset = 0;
        do
        {
            var length = Math.Min(TableLimits.MaxStringLength, text.Length - offset);
            if (offset + length < text.Length && char.IsHighSurrogate(text[offset + length - 1]))
            {
                length--;
            }

            parts.Add(text.Substring(offset, length));
            offset += length;
        }
        while (offset < text.Length);
        return parts;
    }
}
