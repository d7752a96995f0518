using System.Globalization;
using System.Text;

namespace Engagement.Functions.Dashboard;

/// <summary>Small inline SVG charts: no script, no external resource, each with a text title for screen readers.</summary>
internal static class Svg
{
    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Sparkline(IReadOnlyList<double> values, string title, int width = 120, int height = 28)
    {
        var builder = new StringBuilder($"<svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"><title>{Html.E(title)}</title>");
        if (values.Count > 1)
        {
            var points = values.Select((v, i) => $"{N(i * (width - 4.0) / (values.Count - 1) + 2)},{N(height - 2 - (v * (height - 4)))}");
            builder.Append($"<polyline fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
        }

        return builder.Append("</svg>").ToString();
    }

    /// <summary>A line chart of values in [0, 1] with labelled first and last points.</summary>
    public static string LineChart(IReadOnlyList<(string Label, double Value)> points, string title, string color = "#2b6cb0", int width = 640, int height = 180)
    {
        var builder = new StringBuilder($"<svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"><title>{Html.E(title)}</title>");
        builder.Append($"<line x1=\"40\" y1=\"{height - 20}\" x2=\"{width - 10}\" y2=\"{height - 20}\" stroke=\"#999\"/><line x1=\"40\" y1=\"10\" x2=\"40\" y2=\"{height - 20}\" stroke=\"#999\"/>");
        builder.Append($"<text x=\"4\" y=\"16\" font-size=\"10\">100 %</text><text x=\"14\" y=\"{height - 22}\" font-size=\"10\">0</text>");
        if (points.Count > 0)
        {
            double X(int i) => points.Count == 1 ? 40 : 40 + (i * (width - 50.0) / (points.Count - 1));
            double Y(double v) => height - 20 - (v * (height - 30));
            builder.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', points.Select((p, i) => $"{N(X(i))},{N(Y(p.Value))}"))}\"/>");
            for (var i = 0; i < points.Count; i++)
            {
                builder.Append($"<circle cx=\"{N(X(i))}\" cy=\"{N(Y(points[i].Value))}\" r=\"3\" fill=\"{color}\"><title>{Html.E(points[i].Label)} : {N(points[i].Value * 100)} %</title></circle>");
            }

            builder.Append($"<text x=\"40\" y=\"{height - 4}\" font-size=\"10\">{Html.E(points[0].Label)}</text>");
            if (points.Count > 1)
            {
                builder.Append($"<text x=\"{N(X(points.Count - 1) - 60)}\" y=\"{height - 4}\" font-size=\"10\">{Html.E(points[^1].Label)}</text>");
            }
        }

        return builder.Append("</svg>").ToString();
    }

    /// <summary>One row per organisation: bars for each representation, gaps are vacancies.</summary>
    public static string Timeline(IReadOnlyList<(string Name, IReadOnlyList<(DateOnly From, DateOnly? To, string Person)> Periods)> rows, DateOnly start, DateOnly end, string title, int width = 640)
    {
        var height = 20 + (rows.Count * 18);
        var span = Math.Max(1, end.DayNumber - start.DayNumber);
        double X(DateOnly d) => 160 + ((Math.Clamp(d.DayNumber, start.DayNumber, end.DayNumber) - start.DayNumber) * (width - 170.0) / span);
        var builder = new StringBuilder($"<svg role=\"img\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"><title>{Html.E(title)}</title>");
        for (var r = 0; r < rows.Count; r++)
        {
            var y = 10 + (r * 18);
            builder.Append($"<text x=\"0\" y=\"{y + 11}\" font-size=\"10\">{Html.E(rows[r].Name.Length > 28 ? rows[r].Name[..28] + "…" : rows[r].Name)}</text>");
            var shade = 0;
            foreach (var (from, to, person) in rows[r].Periods)
            {
                var x1 = X(from);
                var x2 = X(to ?? end);
                builder.Append($"<rect x=\"{N(x1)}\" y=\"{y}\" width=\"{N(Math.Max(1, x2 - x1))}\" height=\"14\" fill=\"{(shade++ % 2 == 0 ? "#38a169" : "#2f855a")}\"><title>{Html.E(person)}</title></rect>");
            }
        }

        return builder.Append("</svg>").ToString();
    }

    /// <summary>The CACIS "roue": six conditions as axes, one polygon per respondent group (share of A answers).</summary>
    public static string Radar(IReadOnlyList<string> axes, IReadOnlyList<(string Group, IReadOnlyList<double> Values)> polygons, string title, int size = 320)
    {
        var center = size / 2.0;
        var radius = (size / 2.0) - 40;
        (double X, double Y) Point(int axis, double value)
        {
            var angle = (-Math.PI / 2) + (2 * Math.PI * axis / axes.Count);
            return (center + (Math.Cos(angle) * radius * value), center + (Math.Sin(angle) * radius * value));
        }

        var builder = new StringBuilder($"<svg role=\"img\" width=\"{size + 160}\" height=\"{size}\" viewBox=\"0 0 {size + 160} {size}\"><title>{Html.E(title)}</title>");
        for (var a = 0; a < axes.Count; a++)
        {
            var (x, y) = Point(a, 1);
            builder.Append($"<line x1=\"{N(center)}\" y1=\"{N(center)}\" x2=\"{N(x)}\" y2=\"{N(y)}\" stroke=\"#ccc\"/><text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"10\" text-anchor=\"middle\">{Html.E(axes[a])}</text>");
        }

        string[] colors = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b"];
        for (var p = 0; p < polygons.Count; p++)
        {
            var points = polygons[p].Values.Select((v, a) => Point(a, v)).Select(pt => $"{N(pt.X)},{N(pt.Y)}");
            builder.Append($"<polygon points=\"{string.Join(' ', points)}\" fill=\"{colors[p % colors.Length]}\" fill-opacity=\"0.15\" stroke=\"{colors[p % colors.Length]}\" stroke-width=\"2\"><title>{Html.E(polygons[p].Group)}</title></polygon>");
            builder.Append($"<rect x=\"{size + 10}\" y=\"{20 + (p * 18)}\" width=\"12\" height=\"12\" fill=\"{colors[p % colors.Length]}\"/><text x=\"{size + 28}\" y=\"{30 + (p * 18)}\" font-size=\"11\">{Html.E(polygons[p].Group)}</text>");
        }

        return builder.Append("</svg>").ToString();
    }
}

internal static class Html
{
    /// <summary>The pages' one style sheet, allowed by its hash in the Content-Security-Policy (no style attributes).</summary>
    public const string Style =
        "body{font-family:sans-serif;margin:1.5rem;color:#1a202c}table{border-collapse:collapse}th,td{padding:.3rem .6rem;border-bottom:1px solid #e2e8f0;text-align:left}"
        + ".band-high{color:#c53030;font-weight:bold}.band-medium{color:#b7791f}.band-low{color:#2f855a}";

    /// <summary>
    /// The policy of every page: nothing but its own hashed style sheet, inline images (the SVG charts are inline
    /// elements, the favicon a data URL) and forms posted to itself; no script at all, never framed, no base
    /// URL, no referrer sent.
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src '{StyleHash()}'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static string E(string? value) => Alerts.AlertEmail.Escape(value ?? string.Empty);

    /// <summary>A whole page: the document with <see cref="Style"/> in its head, and the security headers.</summary>
    public static IResult Page(string lang, string title, string body, int status = StatusCodes.Status200OK) =>
        new PageResult($"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{E(title)}</title>"
            + $"<link rel=\"icon\" href=\"data:,\"><style>{Style}</style></head><body>{body}</body></html>", status);

    private static string StyleHash() =>
        "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Style)));

    private sealed class PageResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status).ExecuteAsync(httpContext);
        }
    }
}
