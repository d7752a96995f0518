using System.Globalization;
using System.Text;
using QRCoder;

namespace Engagement.Functions.Participants;

/// <summary>
/// A QR code as one SVG path: QRCoder encodes the text (error correction M, which survives a phone's glare on a printed
/// sheet); the path joins each row's runs of dark modules. Drawn by <c>QrCodeSvg</c> as an inline element with classes
/// only — no style attribute, which the pages' Content-Security-Policy would refuse.
/// </summary>
public sealed record QrCode(int Size, string Path)
{
    public static QrCode Of(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix; // with its quiet zone of 4 modules on each side
        var path = new StringBuilder();
        for (var y = 0; y < matrix.Count; y++)
        {
            var row = matrix[y];
            for (var x = 0; x < row.Length; x++)
            {
                if (!row[x])
                {
                    continue;
                }

                var start = x;
                while (x + 1 < row.Length && row[x + 1])
                {
                    x++;
                }

                path.Append(CultureInfo.InvariantCulture, $"M{start} {y}h{x - start + 1}v1h-{x - start + 1}z");
            }
        }

        return new QrCode(matrix.Count, path.ToString());
    }
}
