using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Governance.Client.Budgets;

namespace HybridAI.Router.Execution;

/// <summary>Costs from the catalogue's prices, in integer micro-dollars (the governance client's arithmetic).</summary>
public static class Pricing
{
    /// <summary>prompt tokens × input price + max output tokens × output price (the target's limit when the request sets none).</summary>
    public static long WorstCaseMicros(CatalogueModel target, int promptTokens, int? maxTokens) =>
        BudgetClient.WorstCaseMicros(promptTokens, maxTokens ?? (target.MaxOutputTokens > 0 ? target.MaxOutputTokens : 4096), target.Price ?? new ModelPrice());

    public static long ActualMicros(CatalogueModel target, TokenUsage usage) => BudgetClient.ActualMicros(usage, target.Price ?? new ModelPrice());

    public static decimal Usd(long micros) => micros / 1_000_000m;
}
