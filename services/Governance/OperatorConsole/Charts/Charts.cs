using System.Globalization;

namespace HybridAI.Governance.OperatorConsole.Charts;

/// <summary>
/// Server-side SVG charts (no script, nothing fetched at run time). Every mark carries <c>data-series</c>,
/// <c>data-x</c> and <c>data-value</c> with the exact figure it draws, so what is shown can be checked against the data.
/// </summary>
public static class Charts
{
    /// <summary>Lines over time buckets, one per series, with a point per bucket.</summary>
    public static string Lines(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, Func<double, string> format, string unit, string xUnit)
    {
        var svg = new Svg(id, title);
        svg.Legend(series.Select(s => (s.Name, s.Color)));
        var top = svg.ValueAxis(series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max(), format, unit);
        double X(int i) => Svg.Left + (labels.Count <= 1 ? Svg.PlotWidth / 2 : i * Svg.PlotWidth / (labels.Count - 1));
        svg.CategoryAxis(labels, X, xUnit);
        foreach (var s in series)
        {
            var points = string.Join(' ', s.Values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):F1},{Svg.Y(v, top):F1}")));
            svg.Raw.Append(CultureInfo.InvariantCulture, $"""<polyline class="line" data-series="{Svg.Esc(s.Name)}" fill="none" stroke="{s.Color}" stroke-width="2" points="{points}"/>""");
            for (var i = 0; i < s.Values.Count; i++)
            {
                svg.Raw.Append(CultureInfo.InvariantCulture,
                    $"""<circle class="point" data-series="{Svg.Esc(s.Name)}" data-x="{Svg.Esc(labels[i])}" data-value="{Svg.Data(s.Values[i])}" cx="{X(i):F1}" cy="{Svg.Y(s.Values[i], top):F1}" r="{(s.Values.Count > 60 ? 1.5 : 3)}" fill="{s.Color}"><title>{Svg.Esc($"{s.Name} {labels[i]}: {format(s.Values[i])}")}</title></circle>""");
            }
        }

        return svg.ToString();
    }

    /// <summary>Stacked columns per time bucket (e.g. requests by route).</summary>
    public static string StackedColumns(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<Series> series, Func<double, string> format, string unit, string xUnit)
    {
        var svg = new Svg(id, title);
        svg.Legend(series.Select(s => (s.Name, s.Color)));
        var totals = Enumerable.Range(0, labels.Count).Select(i => series.Sum(s => s.Values[i])).ToList();
        var top = svg.ValueAxis(totals.DefaultIfEmpty(0).Max(), format, unit);
        var slot = Svg.PlotWidth / Math.Max(1, labels.Count);
        var width = Math.Max(1, slot * 0.8);
        double Center(int i) => Svg.Left + (slot * (i + 0.5));
        svg.CategoryAxis(labels, Center, xUnit);
        for (var i = 0; i < labels.Count; i++)
        {
            var below = 0d;
            foreach (var s in series)
            {
                var v = s.Values[i];
                if (v <= 0)
                {
                    continue;
                }

                var y = Svg.Y(below + v, top);
                var h = Svg.Y(below, top) - y;
                svg.Raw.Append(CultureInfo.InvariantCulture,
                    $"""<rect class="bar" data-series="{Svg.Esc(s.Name)}" data-x="{Svg.Esc(labels[i])}" data-value="{Svg.Data(v)}" x="{Center(i) - (width / 2):F1}" y="{y:F1}" width="{width:F1}" height="{h:F1}" fill="{s.Color}"><title>{Svg.Esc($"{s.Name} {labels[i]}: {format(v)}")}</title></rect>""");
                below += v;
            }
        }

        if (totals.All(t => t == 0))
        {
            svg.Empty("No receipts in this range");
        }

        return svg.ToString();
    }

    /// <summary>Grouped columns per category (e.g. latency p50/p95/p99 per route).</summary>
    public static string GroupedColumns(string id, string title, IReadOnlyList<string> categories, IReadOnlyList<Series> series, Func<double, string> format, string unit, string xUnit)
    {
        var svg = new Svg(id, title);
        svg.Legend(series.Select(s => (s.Name, s.Color)));
        var top = svg.ValueAxis(series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max(), format, unit);
        var slot = Svg.PlotWidth / Math.Max(1, categories.Count);
        var width = slot * 0.8 / Math.Max(1, series.Count);
        double Center(int i) => Svg.Left + (slot * (i + 0.5));
        svg.CategoryAxis(categories, Center, xUnit, most: 12);
        for (var i = 0; i < categories.Count; i++)
        {
            for (var k = 0; k < series.Count; k++)
            {
                var v = series[k].Values[i];
                var y = Svg.Y(v, top);
                var x = Center(i) - (slot * 0.4) + (k * width);
                svg.Raw.Append(CultureInfo.InvariantCulture,
                    $"""<rect class="bar" data-series="{Svg.Esc(series[k].Name)}" data-x="{Svg.Esc(categories[i])}" data-value="{Svg.Data(v)}" x="{x:F1}" y="{y:F1}" width="{width:F1}" height="{Svg.Y(0, top) - y:F1}" fill="{series[k].Color}"><title>{Svg.Esc($"{categories[i]} {series[k].Name}: {format(v)}")}</title></rect>""");
            }
        }

        if (categories.Count == 0)
        {
            svg.Empty("No receipts in this range");
        }

        return svg.ToString();
    }

    /// <summary>
    /// Horizontal bars, one per row, with the value printed at the end; an optional <paramref name="limit"/> line
    /// (e.g. 100 % of a budget).
    /// </summary>
    public static string Bars(string id, string title, IReadOnlyList<(string Label, double Value)> rows, string color, Func<double, string> format, string unit, double? limit = null)
    {
        var svg = new Svg(id, title);
        if (rows.Count == 0)
        {
            svg.Empty("Nothing to show in this range");
            return svg.ToString();
        }

        var shown = rows.Take(10).ToList();
        var (top, step) = Svg.NiceScale(Math.Max(shown.Max(r => r.Value), limit ?? 0));
        const double LabelWidth = 150;
        var plotLeft = Svg.Left + LabelWidth - 60;
        var plotWidth = Svg.Width - Svg.Right - plotLeft - 70;
        var rowHeight = Svg.PlotHeight / shown.Count;
        double X(double v) => plotLeft + (v / top * plotWidth);
        for (var v = 0d; v <= top + (step / 2); v += step)
        {
            svg.Raw.Append(CultureInfo.InvariantCulture, $"""<line class="grid" x1="{X(v):F1}" x2="{X(v):F1}" y1="{Svg.Top}" y2="{Svg.Height - Svg.Bottom}"/><text class="tick" x="{X(v):F1}" y="{Svg.Height - Svg.Bottom + 16}" text-anchor="middle">{Svg.Esc(format(v))}</text>""");
        }

        svg.Raw.Append(CultureInfo.InvariantCulture, $"""<text class="axis-label" x="{plotLeft + (plotWidth / 2):F0}" y="{Svg.Height - 6}" text-anchor="middle">{Svg.Esc(unit)}</text>""");
        svg.Raw.Append(CultureInfo.InvariantCulture, $"""<text class="legend" x="{Svg.Left}" y="20">{Svg.Esc(title)}</text>""");
        for (var i = 0; i < shown.Count; i++)
        {
            var (label, value) = shown[i];
            var y = Svg.Top + (i * rowHeight) + (rowHeight * 0.15);
            var h = Math.Min(rowHeight * 0.7, 28);
            svg.Raw.Append(CultureInfo.InvariantCulture,
                $"""<text class="tick" x="{plotLeft - 6:F1}" y="{y + (h / 2) + 4:F1}" text-anchor="end">{Svg.Esc(label.Length > 22 ? label[..21] + "…" : label)}</text>""");
            svg.Raw.Append(CultureInfo.InvariantCulture,
                $"""<rect class="bar" data-series="{Svg.Esc(title)}" data-x="{Svg.Esc(label)}" data-value="{Svg.Data(value)}" x="{plotLeft:F1}" y="{y:F1}" width="{Math.Max(0, X(value) - plotLeft):F1}" height="{h:F1}" fill="{(limit is { } l && value > l ? "#c0392b" : color)}"><title>{Svg.Esc($"{label}: {format(value)}")}</title></rect>""");
            svg.Raw.Append(CultureInfo.InvariantCulture, $"""<text class="value" x="{X(value) + 4:F1}" y="{y + (h / 2) + 4:F1}">{Svg.Esc(format(value))}</text>""");
        }

        if (limit is { } max)
        {
            svg.Raw.Append(CultureInfo.InvariantCulture, $"""<line class="limit" x1="{X(max):F1}" x2="{X(max):F1}" y1="{Svg.Top}" y2="{Svg.Height - Svg.Bottom}" stroke="#c0392b" stroke-dasharray="4 3"/>""");
        }

        svg.Raw.Append(CultureInfo.InvariantCulture, $"""<line class="axis" x1="{plotLeft:F1}" x2="{plotLeft:F1}" y1="{Svg.Top}" y2="{Svg.Height - Svg.Bottom}"/>""");
        return svg.ToString();
    }
}
