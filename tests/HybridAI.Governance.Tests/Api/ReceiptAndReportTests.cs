using System.Net;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Tests.Ledger;

namespace HybridAI.Governance.Tests.Api;

public sealed class ReceiptAndReportTests : IDisposable
{
    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<RecordReceiptsResponse> RecordAsync(params RoutingReceipt[] receipts)
    {
        var request = new RecordReceiptsRequest();
        request.Receipts.AddRange(receipts);
        return await _host.Governance.RecordReceiptsAsync(request, cancellationToken: Ct);
    }

    [Fact]
    public async Task ReceiptsAreAcceptedOnceAndBadOnesAreRejectedWithTheirReason()
    {
        await _host.CreateTenantAsync("acme");

        var first = await RecordAsync(TestReceipts.Make("acme", "a"), TestReceipts.Make("ghost", "b"), TestReceipts.Make("acme", ""), TestReceipts.Make("acme", "c"));
        var again = await RecordAsync(TestReceipts.Make("acme", "a"));

        Assert.Equal((2, 0), (first.Accepted, first.Duplicates));
        Assert.Equal([1, 2], first.Rejected.Select(r => r.Index));
        Assert.Contains("tenant 'ghost' does not exist", first.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("request_id is required", first.Rejected[1].Reason, StringComparison.Ordinal);
        Assert.Equal((0, 1), (again.Accepted, again.Duplicates));
    }

    [Fact]
    public async Task TheReportSumsCostsSavingsSharesAndLatencyPercentiles()
    {
        await _host.CreateTenantAsync("acme");
        var t = TestReceipts.Start;
        var receipts = new List<RoutingReceipt>();
        for (var i = 0; i < 6; i++)
        {
            receipts.Add(TestReceipts.Make("acme", $"slm-{i}", Route.Slm, "slm-intent", cost: 0, baseline: 1_000, latencyMs: 10 + i, time: t.AddMinutes(i)));
        }

        receipts.Add(TestReceipts.Make("acme", "llm-1", Route.Llm, "gpt-4o-mini", cost: 1_000, baseline: 1_000, latencyMs: 900, cascaded: true, time: t.AddMinutes(7)));
        receipts.Add(TestReceipts.Make("acme", "llm-2", Route.Llm, "gpt-4o-mini", cost: 1_000, baseline: 1_000, latencyMs: 1_100, time: t.AddMinutes(8)));
        receipts.Add(TestReceipts.Make("acme", "cache-1", Route.Cache, "", cost: 0, baseline: 1_000, latencyMs: 2, cacheHit: true, time: t.AddMinutes(9)));
        receipts.Add(TestReceipts.Make("acme", "blocked-1", Route.Blocked, "", cost: 0, baseline: 0, latencyMs: 1, time: t.AddMinutes(10)));
        receipts.Add(TestReceipts.Make("acme", "outside", Route.Llm, "gpt-4o-mini", cost: 5_000, baseline: 5_000, time: t.AddDays(-40)));
        await RecordAsync([.. receipts]);

        var response = await _host.Admin.GetAsync(new Uri($"/admin/tenants/acme/report?from={t:yyyy-MM-dd}&to={t.AddDays(1):yyyy-MM-dd}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = Google.Protobuf.JsonParser.Default.Parse<Report>(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(10, report.Requests);
        Assert.Equal((2_000L, 9_000L, 7_000L), (report.CostMicros, report.BaselineCostMicros, report.SavingsMicros));
        Assert.Equal(7.0 / 9, report.SavingsRatio, 6);
        Assert.Equal(6.0 / 9, report.SlmShare, 6);
        Assert.Equal((0.1, 0.1), (report.EscalationRate, report.CacheHitRate));
        Assert.Equal((12.0, 1_100.0), (report.LatencyP50Ms, report.LatencyP95Ms));
        Assert.Equal(["slm", "llm", "blocked", "cache"], report.ByTier.Select(r => r.Key));
        Assert.Equal(2_000, report.ByModel.Single(r => r.Key == "gpt-4o-mini").CostMicros);
        Assert.Equal(["day", "month"], report.Budgets.Select(b => b.Period));

        var viaGrpc = await _host.Governance.GetReportAsync(new ReportRequest { TenantId = "acme", From = report.From, To = report.To }, cancellationToken: Ct);
        Assert.Equal(report, viaGrpc);
    }

    [Fact]
    public async Task ExportReturnsJsonLinesForOneTenantAndTimeRange()
    {
        await _host.CreateTenantAsync("acme");
        await _host.CreateTenantAsync("globex");
        await RecordAsync([.. Enumerable.Range(0, 5).Select(i => TestReceipts.Make("acme", $"a{i}", time: TestReceipts.Start.AddHours(i))),
            TestReceipts.Make("globex", "g0")]);

        var text = await _host.Admin.GetStringAsync(new Uri(
            $"/admin/ledger/export?tenant=acme&from={TestReceipts.Start.AddHours(1):O}&to={TestReceipts.Start.AddHours(3):O}".Replace("+", "%2B", StringComparison.Ordinal), UriKind.Relative), Ct);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"a1\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"a2\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("g0", text, StringComparison.Ordinal);

        using var stream = _host.AdminGrpc.ExportLedger(new ExportLedgerRequest { TenantId = "acme" }, GovernanceHost.AdminHeaders, cancellationToken: Ct);
        var exported = new List<RoutingReceipt>();
        while (await stream.ResponseStream.MoveNext(Ct))
        {
            exported.Add(stream.ResponseStream.Current);
        }

        Assert.Equal(["a0", "a1", "a2", "a3", "a4"], exported.Select(r => r.Context.RequestId));
        Assert.All(exported, r => Assert.Equal(64, r.Hash.Length));
        Assert.Equal(exported[0].Hash, exported[1].PreviousHash);

        var bad = await _host.Admin.GetAsync(new Uri("/admin/ledger/export?tennant=acme&from=yesterday", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fields = (await GovernanceHost.ReadAsync(bad)).GetProperty("error").GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("field").GetString());
        Assert.Equal(["tennant", "from"], fields);
    }

    [Fact]
    public async Task ReportsForUnknownTenantsOrInvertedRangesAreRefused()
    {
        await _host.CreateTenantAsync("acme");

        Assert.Equal(HttpStatusCode.NotFound, (await _host.Admin.GetAsync(new Uri("/admin/tenants/ghost/report", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Admin.GetAsync(new Uri("/admin/tenants/acme/report?from=2026-02-01&to=2026-01-01", UriKind.Relative), Ct)).StatusCode);
    }

    public void Dispose() => _host.Dispose();
}
