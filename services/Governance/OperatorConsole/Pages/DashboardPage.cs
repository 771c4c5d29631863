using System.Globalization;
using System.Text;
using HybridAI.Governance.OperatorConsole.Charts;
using HybridAI.Governance.OperatorConsole.Data;

namespace HybridAI.Governance.OperatorConsole.Pages;

/// <summary>The console's one page: headline figures, the charts, the latest receipts and the ledger's status.</summary>
internal static class DashboardPage
{
    private const string Slm = "#2e86de", Llm = "#e67e22", Cache = "#27ae60", Blocked = "#8e44ad", Baseline = "#7f8c8d", Savings = "#16a085";

    public static string Render(ConsoleOverview o, IReadOnlyList<ReceiptRow> receipts, string range, string? error = null)
    {
        var labels = o.Series.Select(b => Label(b.Start, o.Bucket)).ToList();
        var xUnit = $"time (UTC, per {o.Bucket})";
        var body = new StringBuilder();
        body.Append(Layout.Filters(ConsoleEndpoints.Prefix, range, o.Bucket, o.Tenant, o.From, o.To));
        if (error is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert">{Layout.Esc(error)}</p>""");
        }

        body.Append(Kpis(o));
        body.Append("""<div class="grid">""");
        body.Append(Section("savings", "Savings versus the all-LLM baseline",
            "What routed requests cost, what the same requests would have cost had every one gone to the baseline LLM, and the difference.",
            Charts.Charts.Lines("chart-savings", "Cost, baseline and savings", labels,
            [
                new Series("baseline", Baseline, o.Series.Select(b => b.BaselineUsd).ToList()),
                new Series("cost", Llm, o.Series.Select(b => b.CostUsd).ToList()),
                new Series("savings", Savings, o.Series.Select(b => b.SavingsUsd).ToList()),
            ], Svg.Usd, "USD", xUnit)));
        body.Append(Section("route-mix", "Route mix", "Requests per bucket by the route that answered them.",
            Charts.Charts.StackedColumns("chart-route-mix", "Requests by route", labels,
            [
                new Series("slm", Slm, o.Series.Select(b => (double)b.Slm).ToList()),
                new Series("llm", Llm, o.Series.Select(b => (double)b.Llm).ToList()),
                new Series("cache", Cache, o.Series.Select(b => (double)b.Cache).ToList()),
                new Series("blocked", Blocked, o.Series.Select(b => (double)b.Blocked).ToList()),
            ], Svg.Count, "requests", xUnit)));
        body.Append(Section("cost-tenant", "Cost by tenant", "Actual cost in the range, largest first (top 10).",
            Charts.Charts.Bars("chart-cost-tenant", "cost by tenant", o.CostByTenant.Select(r => (r.Key, r.CostUsd)).ToList(), Llm, Svg.Usd, "USD")));
        body.Append(Section("cost-model", "Cost by model", "Actual cost in the range by the model that served, largest first (top 10).",
            Charts.Charts.Bars("chart-cost-model", "cost by model", o.CostByModel.Select(r => (r.Key, r.CostUsd)).ToList(), Slm, Svg.Usd, "USD")));
        body.Append(Section("latency", "Latency percentiles by route", "Nearest-rank p50, p95 and p99 of end-to-end latency in the range.",
            Charts.Charts.GroupedColumns("chart-latency", "Latency by route", o.LatencyByRoute.Select(l => l.Route).ToList(),
            [
                new Series("p50", Slm, o.LatencyByRoute.Select(l => l.P50Ms).ToList()),
                new Series("p95", Llm, o.LatencyByRoute.Select(l => l.P95Ms).ToList()),
                new Series("p99", Blocked, o.LatencyByRoute.Select(l => l.P99Ms).ToList()),
            ], v => v.ToString("#,0", CultureInfo.InvariantCulture), "milliseconds", "route")));
        body.Append(Section("budgets", "Budget use per tenant", "Spent plus reserved in the current period, as a share of the limit (dashed line: 100 %).",
            Charts.Charts.Bars("chart-budgets", "budget used", o.Budgets.Select(b => ($"{b.Tenant} ({b.Period})", b.UsedRatio * 100)).ToList(), Savings,
                v => v.ToString("0.#", CultureInfo.InvariantCulture) + " %", "% of limit", limit: o.Budgets.Count > 0 ? 100 : null)));
        body.Append("</div>");
        body.Append(Ledger(o.Ledger));
        body.Append(Receipts(receipts));
        return Layout.Page("HybridAI console", body.ToString(), Header());
    }

    /// <summary>The console's header: title, the views (the current one marked) and sign-out.</summary>
    internal static string Header(string view = "overview") => $"""
        <header><h1>HybridAI console</h1>
        <nav><a id="nav-overview" href="{ConsoleEndpoints.Prefix}"{(view == "overview" ? " aria-current=\"page\"" : "")}>Overview</a>
        <a id="nav-quality" href="{ConsoleEndpoints.Prefix}/quality"{(view == "quality" ? " aria-current=\"page\"" : "")}>Quality</a></nav>
        <form method="post" action="{ConsoleEndpoints.Prefix}/logout"><button id="sign-out" type="submit">Sign out</button></form></header>
        """;

    private static string Kpis(ConsoleOverview o)
    {
        var t = o.Totals;
        var served = t.Requests - t.Blocked;
        string Kpi(string id, string value, string label) => $"""<div class="kpi" id="{id}"><b>{Layout.Esc(value)}</b><span>{label}</span></div>""";
        return "<div class=\"kpis\">"
            + Kpi("kpi-requests", t.Requests.ToString("#,0", CultureInfo.InvariantCulture), "requests")
            + Kpi("kpi-cost", Svg.Usd(t.CostUsd), "cost")
            + Kpi("kpi-baseline", Svg.Usd(t.BaselineUsd), "all-LLM baseline")
            + Kpi("kpi-savings", Svg.Usd(t.SavingsUsd), $"saved ({t.SavingsRatio:P0})")
            + Kpi("kpi-slm-share", served == 0 ? "–" : ((double)t.Slm / served).ToString("P0", CultureInfo.InvariantCulture), "served by SLM")
            + Kpi("kpi-ledger", o.Ledger.Checked ? (o.Ledger.Valid ? "intact" : "BROKEN") : "pending", "ledger chain")
            + "</div>";
    }

    internal static string Section(string id, string title, string note, string chart) =>
        $"""<section id="{id}"><h2>{Layout.Esc(title)}</h2><p class="note">{Layout.Esc(note)}</p>{chart}</section>""";

    private static string Ledger(LedgerStatus l)
    {
        var state = !l.Checked ? """<span id="ledger-state">not verified yet</span>"""
            : l.Valid ? """<span id="ledger-state" class="ok">verified: chain intact</span>"""
            : """<span id="ledger-state" class="bad">BROKEN</span>""";
        return $"""
            <section id="ledger" style="margin-top:16px"><h2>Ledger verification</h2>
            <p>{state} — {Layout.Esc(l.Message)}. Records: <b id="ledger-records">{l.Records:#,0}</b>{(l.FirstBrokenSequence > 0 ? $", first broken record: <b>{l.FirstBrokenSequence}</b>" : "")}.
            Head hash: <code>{Layout.Esc(l.HeadHash.Length > 16 ? l.HeadHash[..16] + "…" : l.HeadHash)}</code>.
            Checked: {(l.CheckedAt is { } at ? at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "–")}.</p>
            <form method="post" action="{ConsoleEndpoints.Prefix}/verify"><button id="verify-ledger" type="submit">Verify now</button></form></section>
            """;
    }

    private static string Receipts(IReadOnlyList<ReceiptRow> receipts)
    {
        var rows = new StringBuilder();
        foreach (var r in receipts)
        {
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr data-request-id="{Layout.Esc(r.RequestId)}"><td class="num">{r.Sequence}</td><td>{r.Time:yyyy-MM-dd HH:mm:ss}</td><td>{Layout.Esc(r.Tenant)}</td>
                <td>{Layout.Esc(r.RequestId)}</td><td>{Layout.Esc(r.Route)}{(r.Cascaded ? " (cascaded)" : "")}{(r.CacheHit ? " (cache hit)" : "")}</td><td>{Layout.Esc(r.Model)}</td>
                <td>{Layout.Esc(r.Rule)}</td><td>{Layout.Esc(string.Join("; ", r.Reasons))}</td><td>{Layout.Esc(r.Outcome)}{(r.BlockCode.Length > 0 ? $" ({Layout.Esc(r.BlockCode)})" : "")}</td>
                <td class="num">{Svg.Usd(r.CostUsd)}</td><td class="num">{Svg.Usd(r.BaselineUsd)}</td><td class="num">{r.LatencyMs:#,0} ms</td></tr>
                """);
        }

        return $"""
            <section id="receipts" style="margin-top:16px"><h2>Latest routing receipts</h2><p class="note">Newest first, with the rule that matched and the router's reasons.</p>
            <table><thead><tr><th>#</th><th>time (UTC)</th><th>tenant</th><th>request</th><th>route</th><th>model</th><th>rule</th><th>reasons</th><th>outcome</th><th>cost</th><th>baseline</th><th>latency</th></tr></thead>
            <tbody>{rows}</tbody></table></section>
            """;
    }

    internal static string Label(DateTimeOffset start, string bucket) =>
        start.ToString(bucket == "day" ? "MM-dd" : "MM-dd HH:mm", CultureInfo.InvariantCulture);
}
