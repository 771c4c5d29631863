using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Tests.Ledger;

namespace HybridAI.Governance.Tests.OperatorConsole;

/// <summary>
/// Receipts over three hours for two tenants, as routers would send them, with the figures the console must show
/// for them worked out by hand. Times are relative to now so the console's default view (last 24 h) holds them.
/// </summary>
internal static class ConsoleScenario
{
    public static DateTimeOffset Start { get; } = FloorHour(DateTimeOffset.UtcNow) - TimeSpan.FromHours(3);

    public static DateTimeOffset End => Start + TimeSpan.FromHours(3);

    public static IReadOnlyList<RoutingReceipt> Receipts { get; } = Build();

    /// <summary>Creates the tenants, gives acme a day budget of $1 with $0.25 spent, and records <see cref="Receipts"/>.</summary>
    public static async Task SeedAsync(GovernanceService.GovernanceServiceClient governance, Func<string, Task> createTenant,
        Func<string, string, Task<HttpResponseMessage>> putPolicy, CancellationToken cancellationToken)
    {
        await createTenant("acme");
        await createTenant("globex");
        var policy = await putPolicy("acme", """{ "budgets": [{ "period": "day", "limit_micros": 1000000 }] }""");
        Assert.True(policy.IsSuccessStatusCode, await policy.Content.ReadAsStringAsync(cancellationToken));
        await governance.ReserveBudgetAsync(new ReserveBudgetRequest { TenantId = "acme", RequestId = "spend", AmountMicros = 250_000 }, cancellationToken: cancellationToken);
        await governance.SettleBudgetAsync(new SettleBudgetRequest { TenantId = "acme", ReservationId = "spend", ActualMicros = 250_000 }, cancellationToken: cancellationToken);

        var request = new RecordReceiptsRequest();
        request.Receipts.AddRange(Receipts);
        var response = await governance.RecordReceiptsAsync(request, new CallOptions(cancellationToken: cancellationToken));
        Assert.Equal(Receipts.Count, response.Accepted);
    }

    private static List<RoutingReceipt> Build()
    {
        RoutingReceipt At(int minutes, string tenant, string id, Route route, string model, long cost, long baseline, long latency, string reason)
        {
            var r = TestReceipts.Make(tenant, id, route, model, cost, baseline, latency, cacheHit: route == Route.Cache, time: Start.AddMinutes(minutes));
            r.Decision.Reasons.Clear();
            r.Decision.Reasons.Add(reason);
            if (route == Route.Blocked)
            {
                r.Outcome = "blocked";
                r.Decision.BlockCode = "prompt_injection";
            }

            return r;
        }

        return
        [
            At(5, "acme", "a-1", Route.Slm, "slm-intent", 0, 1_500, 20, "intent faq with confidence 0.93"),
            At(10, "acme", "a-2", Route.Llm, "gpt-4o-mini", 900, 1_500, 800, "cascade: SLM confidence 0.41 below 0.60"),
            At(65, "acme", "a-3", Route.Cache, "", 0, 1_500, 3, "semantic cache hit (similarity 0.97)"),
            At(70, "globex", "g-1", Route.Slm, "slm-intent", 0, 2_000, 30, "intent order_status with confidence 0.88"),
            At(125, "globex", "g-2", Route.Llm, "gpt-4o", 2_500, 2_500, 1_200, "intent open_question routed to the LLM tier"),
            At(126, "globex", "g-3", Route.Blocked, "", 0, 0, 1, "guard: prompt injection detected (score 0.99)"),
        ];
    }

    private static DateTimeOffset FloorHour(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);
}
