using System.Globalization;
using System.Net;
using System.Text;

namespace HybridAI.Governance.OperatorConsole.Charts;

/// <summary>A data series: its name (legend, <c>data-series</c>), colour and values.</summary>
public sealed record Series(string Name, string Color, IReadOnlyList<double> Values);

/// <summary>Shared SVG drawing: the plot frame, value axis with round ticks, legend and number formatting.</summary>
public sealed class Svg
{
    public const int Width = 720;
    public const int Height = 280;
    public const int Left = 72;
    public const int Right = 16;
    public const int Top = 36;
    public const int Bottom = 44;

    private readonly StringBuilder _svg = new();

    public Svg(string id, string title)
    {
        _svg.Append(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" id="{Esc(id)}" class="chart" viewBox="0 0 {Width} {Height}" role="img" aria-label="{Esc(title)}">""");
        _svg.Append(CultureInfo.InvariantCulture, $"<title>{Esc(title)}</title>");
    }

    public static double PlotWidth => Width - Left - Right;

    public static double PlotHeight => Height - Top - Bottom;

    public StringBuilder Raw => _svg;

    /// <summary>A value axis from 0 to a round maximum at or above <paramref name="max"/>, with gridlines; returns that maximum.</summary>
    public double ValueAxis(double max, Func<double, string> format, string unit)
    {
        var (top, step) = NiceScale(max);
        for (var v = 0d; v <= top + (step / 2); v += step)
        {
            var y = Y(v, top);
            _svg.Append(CultureInfo.InvariantCulture, $"""<line class="grid" x1="{Left}" x2="{Width - Right}" y1="{y:F1}" y2="{y:F1}"/>""");
            _svg.Append(CultureInfo.InvariantCulture, $"""<text class="tick" x="{Left - 6}" y="{y + 4:F1}" text-anchor="end">{Esc(format(v))}</text>""");
        }

        _svg.Append(CultureInfo.InvariantCulture, $"""<text class="axis-label" transform="translate(14 {Top + (PlotHeight / 2):F0}) rotate(-90)" text-anchor="middle">{Esc(unit)}</text>""");
        _svg.Append(CultureInfo.InvariantCulture, $"""<line class="axis" x1="{Left}" x2="{Left}" y1="{Top}" y2="{Height - Bottom}"/>""");
        _svg.Append(CultureInfo.InvariantCulture, $"""<line class="axis" x1="{Left}" x2="{Width - Right}" y1="{Height - Bottom}" y2="{Height - Bottom}"/>""");
        return top;
    }

    /// <summary>Category labels along the time/category axis, thinned to about <paramref name="most"/> so they never overlap.</summary>
    public void CategoryAxis(IReadOnlyList<string> labels, Func<int, double> x, string unit, int most = 8)
    {
        var every = Math.Max(1, (int)Math.Ceiling(labels.Count / (double)most));
        for (var i = 0; i < labels.Count; i += every)
        {
            // Labels near the right edge end at their mark instead of being cut off.
            var anchor = x(i) > Width - Right - 36 ? "end" : "middle";
            _svg.Append(CultureInfo.InvariantCulture, $"""<text class="tick" x="{x(i):F1}" y="{Height - Bottom + 16}" text-anchor="{anchor}">{Esc(labels[i])}</text>""");
        }

        _svg.Append(CultureInfo.InvariantCulture, $"""<text class="axis-label" x="{Left + (PlotWidth / 2):F0}" y="{Height - 6}" text-anchor="middle">{Esc(unit)}</text>""");
    }

    public void Legend(IEnumerable<(string Name, string Color)> entries)
    {
        var x = (double)Left;
        _svg.Append("""<g class="legend">""");
        foreach (var (name, color) in entries)
        {
            _svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x:F0}" y="10" width="12" height="12" fill="{color}"/><text x="{x + 16:F0}" y="20">{Esc(name)}</text>""");
            x += 28 + (name.Length * 7);
        }

        _svg.Append("</g>");
    }

    public void Empty(string message) =>
        _svg.Append(CultureInfo.InvariantCulture, $"""<text class="empty" x="{Width / 2}" y="{Height / 2}" text-anchor="middle">{Esc(message)}</text>""");

    public override string ToString() => _svg.ToString() + "</svg>";

    public static double Y(double value, double top) => Top + PlotHeight - (top <= 0 ? 0 : value / top * PlotHeight);

    public static string Esc(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A value as written into <c>data-value</c>: invariant, round-trippable.</summary>
    public static string Data(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A maximum of 1, 2, 2.5 or 5 times a power of ten, in four or five steps.</summary>
    public static (double Top, double Step) NiceScale(double max)
    {
        if (max <= 0 || double.IsNaN(max))
        {
            return (1, 0.25);
        }

        var raw = max / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        return (Math.Ceiling(max / step) * step, step);
    }

    public static string Usd(double value) => value switch
    {
        0 => "$0",
        < 0.01 and > -0.01 => "$" + value.ToString("0.####", CultureInfo.InvariantCulture),
        _ => value.ToString("$#,0.##", CultureInfo.InvariantCulture),
    };

    public static string Count(double value) => value.ToString("#,0.#", CultureInfo.InvariantCulture);
}
