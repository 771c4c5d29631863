using System.Globalization;
using System.Text;
using HybridAI.Governance.OperatorConsole.Charts;
using HybridAI.Governance.OperatorConsole.Quality;

namespace HybridAI.Governance.OperatorConsole.Pages;

/// <summary>
/// "Thresholds and calibration" on the quality view: the thresholds in force, their history and the cost/quality curve,
/// from <see cref="ICalibrationInsights"/>. Without a tenant, or without a calibration, it says what to do instead.
/// </summary>
internal static class CalibrationSection
{
    public static string Render(string tenant, CalibrationInsights? insights)
    {
        var body = new StringBuilder();
        if (tenant.Length == 0)
        {
            body.Append("""<p class="note" id="calibration-state">Thresholds are per tenant: choose a tenant to see its thresholds, their history and the cost/quality curve.</p>""");
        }
        else if (insights is null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<p class="note" id="calibration-state">No calibration for tenant {Layout.Esc(tenant)} yet: set <code>calibration.target</code> in its policy; proposals are computed from its feedback and shadow results (or try <code>hybridai calibrate</code> on a file).</p>""");
        }
        else
        {
            body.Append(CultureInfo.InvariantCulture, $"""<p class="note" id="calibration-state">Target: {Layout.Esc(insights.Target.Length == 0 ? "none stated" : insights.Target)}.</p>""");
            body.Append("""<table id="thresholds"><thead><tr><th>threshold</th><th>value</th></tr></thead><tbody>""");
            foreach (var t in insights.Current)
            {
                body.Append(CultureInfo.InvariantCulture, $"""<tr data-threshold="{Layout.Esc(t.Name)}"><td>{Layout.Esc(t.Name)}</td><td class="num">{t.Value:0.###}</td></tr>""");
            }

            body.Append("</tbody></table>");
            body.Append("""<h2 style="margin-top:12px">History</h2><table id="threshold-history"><thead><tr><th>time (UTC)</th><th>threshold</th><th>from</th><th>to</th><th>status</th><th>by</th></tr></thead><tbody>""");
            foreach (var h in insights.History)
            {
                body.Append(CultureInfo.InvariantCulture, $"""<tr><td>{h.Time:yyyy-MM-dd HH:mm}</td><td>{Layout.Esc(h.Name)}</td><td class="num">{(h.From is { } f ? f.ToString("0.###", CultureInfo.InvariantCulture) : "–")}</td><td class="num">{h.To:0.###}</td><td>{Layout.Esc(h.Status)}</td><td>{Layout.Esc(h.Actor)}</td></tr>""");
            }

            body.Append("</tbody></table>");
            var labels = insights.Curve.Select(p => p.Chosen ? $"{p.Label} (chosen)" : p.Label).ToList();
            body.Append(Charts.Charts.Lines("chart-cost-quality", "Predicted parity and LLM share by setting, cheapest first", labels,
            [
                new Series("parity", "#2e86de", insights.Curve.Select(p => p.Parity * 100).ToList()),
                new Series("LLM share", "#e67e22", insights.Curve.Select(p => p.LlmShare * 100).ToList()),
            ], QualityPage.Pct, "%", "setting (cost per 1,000 requests rises to the right)"));
        }

        return $"""<section id="calibration" style="margin-top:16px"><h2>Thresholds and calibration</h2>{body}</section>""";
    }
}
