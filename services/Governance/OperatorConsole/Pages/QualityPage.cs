using System.Globalization;
using System.Text;
using HybridAI.Governance.OperatorConsole.Charts;
using HybridAI.Governance.OperatorConsole.Quality;

namespace HybridAI.Governance.OperatorConsole.Pages;

/// <summary>
/// The quality view: shadow parity with the LLM tier and user feedback over time, quality by tier, intent and model, and
/// the thresholds-and-calibration section (<see cref="CalibrationSection"/>, filled by <see cref="ICalibrationInsights"/>).
/// </summary>
internal static class QualityPage
{
    private const string Parity = "#2e86de", Positive = "#27ae60", Rating = "#e67e22";

    public static string Render(QualityOverview q, CalibrationInsights? calibration, string range, string? error = null)
    {
        var body = new StringBuilder();
        body.Append(Layout.Filters($"{ConsoleEndpoints.Prefix}/quality", range, q.Bucket, q.Tenant, q.From, q.To));
        if (error is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert">{Layout.Esc(error)}</p>""");
        }

        body.Append(Kpis(q.Totals));
        var labels = q.Series.Select(b => DashboardPage.Label(b.Start, q.Bucket)).ToList();
        body.Append("""<div class="grid">""");
        body.Append(DashboardPage.Section("parity-over-time", "Parity over time",
            "Mean shadow parity of served SLM and cache answers with the LLM tier, and the share of positive ratings, per bucket with observations.",
            q.Series.Count == 0 ? Empty("chart-parity", "Parity over time", "No shadow results or ratings in this range")
            : Charts.Charts.Lines("chart-parity", "Parity and positive feedback", labels,
            [
                new Series("shadow parity", Parity, q.Series.Select(b => Percent(b.Figures.ShadowParity)).ToList()),
                new Series("positive feedback", Positive, q.Series.Select(b => Percent(b.Figures.PositiveShare)).ToList()),
            ], Pct, "% (0 where nothing was judged or rated)", $"time (UTC, per {q.Bucket})")));
        body.Append(Grouped("quality-tier", "chart-quality-tier", "Quality by tier", "Where the request was served.", q.ByTier));
        body.Append(Grouped("quality-intent", "chart-quality-intent", "Quality by intent", "The intent the router detected (most observed first).", q.ByIntent));
        body.Append(Grouped("quality-model", "chart-quality-model", "Quality by model", "The model that served (most observed first).", q.ByModel));
        body.Append("</div>");
        body.Append(Table(q));
        body.Append(CalibrationSection.Render(q.Tenant, calibration));
        return Layout.Page("HybridAI console: quality", body.ToString(), DashboardPage.Header("quality"));
    }

    private static string Grouped(string id, string chartId, string title, string note, IReadOnlyList<QualityFigures> rows) =>
        DashboardPage.Section(id, title, note + " Bars: mean shadow parity and share of positive ratings.",
            Charts.Charts.GroupedColumns(chartId, title, rows.Select(r => r.Key).ToList(),
            [
                new Series("shadow parity", Parity, rows.Select(r => Percent(r.ShadowParity)).ToList()),
                new Series("positive feedback", Positive, rows.Select(r => Percent(r.PositiveShare)).ToList()),
            ], Pct, "%", "group"));

    private static string Kpis(QualityFigures t)
    {
        string Kpi(string id, string value, string label) => $"""<div class="kpi" id="{id}"><b>{Layout.Esc(value)}</b><span>{label}</span></div>""";
        return "<div class=\"kpis\">"
            + Kpi("kpi-shadow-judged", t.ShadowJudged.ToString("#,0", CultureInfo.InvariantCulture), "shadow-judged answers")
            + Kpi("kpi-shadow-parity", Share(t.ShadowParity), "mean parity with the LLM tier")
            + Kpi("kpi-rated", t.Rated.ToString("#,0", CultureInfo.InvariantCulture), "rated responses")
            + Kpi("kpi-positive", Share(t.PositiveShare), "rated positive")
            + Kpi("kpi-rating-mean", t.RatingMean is { } m ? m.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "–", "mean rating (-1..1)")
            + Kpi("kpi-shadow-cost", Svg.Usd(t.ShadowCostUsd), "shadow re-run cost")
            + "</div>";
    }

    private static string Table(QualityOverview q)
    {
        var rows = new StringBuilder();
        foreach (var (grouping, list) in new[] { ("tier", q.ByTier), ("intent", q.ByIntent), ("model", q.ByModel) })
        {
            foreach (var r in list)
            {
                rows.Append(CultureInfo.InvariantCulture, $"""
                    <tr data-grouping="{grouping}" data-key="{Layout.Esc(r.Key)}"><td>{grouping}</td><td>{Layout.Esc(r.Key)}</td><td class="num">{r.ShadowJudged:#,0}</td>
                    <td class="num">{Share(r.ShadowParity)}</td><td class="num">{r.Rated:#,0}</td><td class="num">{r.Positive:#,0}</td><td class="num">{r.Neutral:#,0}</td>
                    <td class="num">{r.Negative:#,0}</td><td class="num">{(r.RatingMean is { } m ? m.ToString("0.00", CultureInfo.InvariantCulture) : "–")}</td></tr>
                    """);
            }
        }

        return $"""
            <section id="quality-table" style="margin-top:16px"><h2>Quality figures</h2><p class="note">Counts behind the charts.</p>
            <table><thead><tr><th>by</th><th>group</th><th>judged</th><th>parity</th><th>rated</th><th>+1</th><th>0</th><th>-1</th><th>mean rating</th></tr></thead>
            <tbody>{rows}</tbody></table></section>
            """;
    }

    private static string Empty(string id, string title, string message)
    {
        var svg = new Svg(id, title);
        svg.Empty(message);
        return svg.ToString();
    }

    internal static double Percent(double? share) => share is { } s ? s * 100 : 0;

    internal static string Pct(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Share(double? share) => share is { } s ? s.ToString("P1", CultureInfo.InvariantCulture) : "–";
}
