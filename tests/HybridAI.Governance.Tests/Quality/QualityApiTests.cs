using System.Net;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Tests.Api;
using HybridAI.Governance.Tests.Ledger;

namespace HybridAI.Governance.Tests.Quality;

/// <summary>Feedback and shadow results through governance's gRPC API, read back as observations, the report and intact ledger.</summary>
public sealed class QualityApiTests : IDisposable
{
    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task FeedbackNeedsTheTenantsReceiptAndAValidRating()
    {
        await _host.CreateTenantAsync("acme");
        await _host.CreateTenantAsync("globex");
        await RecordAsync(TestReceipts.Make("acme", "a-1"));

        var first = await _host.Governance.SubmitFeedbackAsync(new SubmitFeedbackRequest { TenantId = "acme", RequestId = "a-1", Rating = 1 }, cancellationToken: Ct);
        var second = await _host.Governance.SubmitFeedbackAsync(new SubmitFeedbackRequest { TenantId = "acme", RequestId = "a-1", Rating = 0, Comment = "ok" }, cancellationToken: Ct);
        var foreign = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Governance.SubmitFeedbackAsync(new SubmitFeedbackRequest { TenantId = "globex", RequestId = "a-1", Rating = 1 }, cancellationToken: Ct));
        var invalid = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Governance.SubmitFeedbackAsync(new SubmitFeedbackRequest { TenantId = "acme", RequestId = "a-1", Comment = new string('x', 2001) }, cancellationToken: Ct));

        Assert.False(first.Replaced);
        Assert.True(second.Replaced);
        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Equal(["rating", "comment"], invalid.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task ShadowResultsAreKeptBeforeTheirReceiptArrivesAndBadOnesAreRejectedWithTheirReason()
    {
        await _host.CreateTenantAsync("acme");
        var request = new RecordShadowResultsRequest
        {
            Results =
            {
                Shadow("acme", "early", 0.8),
                Shadow("ghost", "g", 0.5),
                Shadow("acme", "bad", 1.5),
            },
        };

        var response = await _host.Governance.RecordShadowResultsAsync(request, cancellationToken: Ct);
        var before = await ObservationsAsync("acme");
        await RecordAsync(TestReceipts.Make("acme", "early", Route.Cache, "gpt-4o", time: DateTimeOffset.UtcNow.AddMinutes(-5)));
        var after = await ObservationsAsync("acme");

        Assert.Equal(1, response.Accepted);
        Assert.Equal([1, 2], response.Rejected.Select(r => r.Index));
        Assert.Contains("tenant 'ghost' does not exist", response.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("parity must be within 0..1", response.Rejected[1].Reason, StringComparison.Ordinal);
        Assert.Empty(before); // observations are read joined to their receipts
        var row = Assert.Single(after);
        Assert.Equal("early", row.GetProperty("request_id").GetString());
        Assert.Equal("cache", row.GetProperty("tier").GetString());
        Assert.Equal(0.8, row.GetProperty("shadow_parity").GetDouble());
        Assert.Equal(3_000, row.GetProperty("llm_cost_micros").GetInt64());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("rating").ValueKind);
    }

    [Fact]
    public async Task ReportGroupsFeedbackAndParityByTierIntentAndModelAndTheLedgerStaysIntact()
    {
        await _host.CreateTenantAsync("acme");
        var now = DateTimeOffset.UtcNow.AddMinutes(-10);
        await RecordAsync(
            TestReceipts.Make("acme", "s-1", Route.Slm, "faq/faq", time: now),
            TestReceipts.Make("acme", "s-2", Route.Slm, "faq/faq", time: now),
            TestReceipts.Make("acme", "l-1", Route.Llm, "gpt-4o", cost: 900, time: now));
        foreach (var (id, rating) in new[] { ("s-1", 1), ("s-2", -1), ("l-1", 1) })
        {
            await _host.Governance.SubmitFeedbackAsync(new SubmitFeedbackRequest { TenantId = "acme", RequestId = id, Rating = rating }, cancellationToken: Ct);
        }

        await _host.Governance.RecordShadowResultsAsync(new RecordShadowResultsRequest { Results = { Shadow("acme", "s-1", 1), Shadow("acme", "s-2", 0.5) } }, cancellationToken: Ct);

        var report = await _host.Governance.GetReportAsync(new ReportRequest { TenantId = "acme", From = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now.AddHours(-1)) }, cancellationToken: Ct);
        var verified = await _host.Admin.GetAsync(new Uri("/admin/ledger/verify", UriKind.Relative), Ct);

        Assert.Equal((3L, 2L, 1L), (report.Quality.Rated, report.Quality.Positive, report.Quality.Negative));
        var slm = report.QualityByTier.Single(r => r.Key == "slm");
        Assert.Equal((2L, 0.0, 2L, 0.75, 6_000L), (slm.Rated, slm.RatingMean, slm.ShadowJudged, slm.ShadowParity, slm.ShadowCostMicros));
        var llm = report.QualityByModel.Single(r => r.Key == "gpt-4o");
        Assert.Equal((1L, 0L), (llm.Positive, llm.ShadowJudged));
        Assert.Equal(3, report.QualityByIntent.Single().Rated);
        Assert.True((await GovernanceHost.ReadAsync(verified)).GetProperty("valid").GetBoolean());
    }

    private static ShadowResult Shadow(string tenant, string id, double parity) => new()
    {
        TenantId = tenant,
        RequestId = id,
        Judge = "gpt-4o",
        ShadowModel = "gpt-4o",
        Parity = parity,
        ShadowCostMicros = 3_000,
        JudgeCostMicros = 40,
        Verdict = "VERDICT: " + parity.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task RecordAsync(params RoutingReceipt[] receipts)
    {
        var request = new RecordReceiptsRequest();
        request.Receipts.AddRange(receipts);
        var response = await _host.Governance.RecordReceiptsAsync(request, cancellationToken: Ct);
        Assert.Equal(receipts.Length, response.Accepted);
    }

    private async Task<List<JsonElement>> ObservationsAsync(string tenant)
    {
        var response = await _host.Admin.GetAsync(new Uri($"/admin/tenants/{tenant}/quality", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await GovernanceHost.ReadAsync(response)).GetProperty("observations").EnumerateArray()];
    }
}
