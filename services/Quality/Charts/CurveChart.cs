using System.Globalization;
using System.Security;
using System.Text;

namespace HybridAI.Quality.Charts;

/// <summary>A point to mark on a chart, with its label.</summary>
public sealed record ChartMark(double X, double Y, string Label, bool Filled = true);

/// <summary>A dashed reference line: horizontal at <see cref="Value"/> on the y axis, or vertical on the x axis.</summary>
public sealed record ChartLine(double Value, bool Vertical, string Label);

/// <summary>
/// A line chart as one self-contained SVG document (no scripts, fonts or external references), so it can be written
/// to a file, served by an API or embedded in a page. Axes carry ticks and labels; marks and reference lines carry
/// text, so the chart reads without a legend.
/// </summary>
public sealed class CurveChart
{
    private const int Width = 720, Height = 440, Left = 70, Right = 24, Top = 48, Bottom = 56;

    public required string Title { get; init; }

    public required string XLabel { get; init; }

    public required string YLabel { get; init; }

    public required IReadOnlyList<(double X, double Y)> Points { get; init; }

    public IReadOnlyList<ChartMark> Marks { get; init; } = [];

    public IReadOnlyList<ChartLine> Lines { get; init; } = [];

    /// <summary>The x range (default 0..1: a share).</summary>
    public (double Min, double Max) XRange { get; init; } = (0, 1);

    /// <summary>The y range; null: from the data, padded, ending at 1 when the data stays within 0..1.</summary>
    public (double Min, double Max)? YRange { get; init; }

    public string ToSvg()
    {
        var (yMin, yMax) = YRange ?? AutoRange();
        var (xMin, xMax) = XRange;
        double X(double x) => Left + ((x - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - ((Math.Clamp(y, yMin, yMax) - yMin) / (yMax - yMin) * (Height - Top - Bottom));

        var svg = new StringBuilder(8 * 1024);
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        Append(svg, $"<title>{Escape(Title)}</title><rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        Append(svg, $"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Escape(Title)}</text>");

        for (var i = 0; i <= 5; i++)
        {
            var xv = xMin + ((xMax - xMin) * i / 5);
            var yv = yMin + ((yMax - yMin) * i / 5);
            Append(svg, $"<line x1=\"{X(xv):0.#}\" y1=\"{Top}\" x2=\"{X(xv):0.#}\" y2=\"{Height - Bottom}\" stroke=\"#eeeeee\"/>");
            Append(svg, $"<line x1=\"{Left}\" y1=\"{Y(yv):0.#}\" x2=\"{Width - Right}\" y2=\"{Y(yv):0.#}\" stroke=\"#eeeeee\"/>");
            Append(svg, $"<text x=\"{X(xv):0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Tick(xv, xMax - xMin)}</text>");
            Append(svg, $"<text x=\"{Left - 8}\" y=\"{Y(yv) + 4:0.#}\" text-anchor=\"end\">{Tick(yv, yMax - yMin)}</text>");
        }

        Append(svg, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#333333\"/>");
        Append(svg, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#333333\"/>");
        Append(svg, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 16}\" text-anchor=\"middle\">{Escape(XLabel)}</text>");
        Append(svg, $"<text x=\"18\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {(Top + Height - Bottom) / 2})\">{Escape(YLabel)}</text>");

        foreach (var line in Lines)
        {
            if (line.Vertical)
            {
                Append(svg, $"<line x1=\"{X(line.Value):0.#}\" y1=\"{Top}\" x2=\"{X(line.Value):0.#}\" y2=\"{Height - Bottom}\" stroke=\"#c0392b\" stroke-dasharray=\"6 4\"/>");
                Append(svg, $"<text x=\"{X(line.Value) + 4:0.#}\" y=\"{Top + 12}\" fill=\"#c0392b\">{Escape(line.Label)}</text>");
            }
            else
            {
                Append(svg, $"<line x1=\"{Left}\" y1=\"{Y(line.Value):0.#}\" x2=\"{Width - Right}\" y2=\"{Y(line.Value):0.#}\" stroke=\"#c0392b\" stroke-dasharray=\"6 4\"/>");
                Append(svg, $"<text x=\"{Width - Right - 4}\" y=\"{Y(line.Value) - 4:0.#}\" text-anchor=\"end\" fill=\"#c0392b\">{Escape(line.Label)}</text>");
            }
        }

        if (Points.Count > 0)
        {
            svg.Append("<polyline fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2\" points=\"");
            foreach (var (x, y) in Points.OrderBy(p => p.X))
            {
                Append(svg, $"{X(x):0.##},{Y(y):0.##} ");
            }

            svg.Append("\"/>");
        }

        foreach (var mark in Marks)
        {
            var fill = mark.Filled ? "#111827" : "#ffffff";
            var anchor = X(mark.X) > Width / 2 ? "end" : "start";
            var dx = anchor == "end" ? -9 : 9;
            Append(svg, $"<circle cx=\"{X(mark.X):0.##}\" cy=\"{Y(mark.Y):0.##}\" r=\"5\" fill=\"{fill}\" stroke=\"#111827\" stroke-width=\"2\"/>");
            Append(svg, $"<text x=\"{X(mark.X) + dx:0.#}\" y=\"{Y(mark.Y) + 16:0.#}\" text-anchor=\"{anchor}\">{Escape(mark.Label)}</text>");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private (double Min, double Max) AutoRange()
    {
        var values = Points.Select(p => p.Y).Concat(Marks.Select(m => m.Y)).Concat(Lines.Where(l => !l.Vertical).Select(l => l.Value)).ToList();
        if (values.Count == 0)
        {
            return (0, 1);
        }

        var min = values.Min();
        var max = values.Max();
        var pad = Math.Max((max - min) * 0.08, 0.01);
        var top = max <= 1 && min >= 0 ? Math.Min(1, max + pad) : max + pad;
        var bottom = min >= 0 ? Math.Max(0, min - pad) : min - pad;
        return top > bottom ? (bottom, top) : (bottom - 0.5, top + 0.5);
    }

    private static string Tick(double value, double span) =>
        value.ToString(span <= 0.2 ? "0.###" : span <= 2 ? "0.##" : "0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    private static void Append(StringBuilder builder, FormattableString text) => builder.Append(text.ToString(CultureInfo.InvariantCulture));
}
