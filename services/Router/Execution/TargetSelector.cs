using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Router.Catalogue;
using HybridAI.Router.Errors;
using HybridAI.Router.Policy;
using HybridAI.Router.Requests;
using HybridAI.Router.Signals;

namespace HybridAI.Router.Execution;

/// <summary>
/// Builds the LLM tier's fallback chain from llm-proxy's catalogue: the tenant's allowed targets (in the tenant's order,
/// else the catalogue's) and regions, the rule's target restriction, locality (local-only, and always when the data is
/// sensitive and not redacted, whatever the rules say), the cost limits (the caller's and the tenant's), the requested
/// catalogue model (tried first), then the latency SLO (targets recently within it first). Each narrowing is a reason.
/// </summary>
public static class TargetSelector
{
    public static TargetChain Select(
        ChatCall call, TenantPolicy tenant, PolicyDecision decision, RequestSignals signals, CatalogueSnapshot catalogue,
        LatencyTracker latency, int? maxTokens)
    {
        if (catalogue.Models.Count == 0)
        {
            throw RoutingException.Unavailable("no_llm_configured",
                "No LLM is configured: llm-proxy's catalogue (LlmProxy:Models) is empty, so only the SLM tier can answer (FAQ matches, a local generator). " +
                "Locally, set the AppHost parameter llm-endpoint (README, Parameters and secrets).");
        }

        IEnumerable<CatalogueModel> pool = tenant.AllowedTargets.Count == 0
            ? catalogue.Models
            : tenant.AllowedTargets.Select(catalogue.Find).OfType<CatalogueModel>();
        var candidates = pool.ToList();

        if (tenant.AllowedRegions.Count > 0)
        {
            candidates.RemoveAll(t => !t.Local && !tenant.AllowedRegions.Contains(t.Region, StringComparer.OrdinalIgnoreCase));
        }

        if (decision.Targets is { } restricted)
        {
            candidates.RemoveAll(t => !restricted.Contains(t.Id));
        }

        if (!decision.LocalOnly && DataClasses.IsSensitive(signals.DataClass) && !decision.Redact && candidates.Any(t => !t.Local))
        {
            decision.LocalOnly = true;
            decision.Reasons.Add($"data_class {DataClasses.Name(signals.DataClass)} is not redacted: local targets only");
        }

        if (decision.LocalOnly)
        {
            candidates.RemoveAll(t => !t.Local);
        }

        var hint = "";
        if (!VirtualModels.IsVirtual(call.Model))
        {
            var requested = candidates.FirstOrDefault(t => t.Id == call.Model);
            if (requested is null)
            {
                throw Blocked(decision, "model_not_allowed", catalogue.Find(call.Model) is null
                    ? $"Model '{call.Model}' is not in the catalogue."
                    : $"Model '{call.Model}' may not serve this request ({(decision.LocalOnly ? "its data may only go to local targets" : "the tenant's policy does not allow it")}).");
            }

            hint = requested.Id;
            candidates.Remove(requested);
            candidates.Insert(0, requested);
        }

        var maxCost = MaxCost(call, tenant);
        if (maxCost is { } limit)
        {
            var before = candidates.Count;
            candidates.RemoveAll(t => Pricing.WorstCaseMicros(t, signals.PromptTokens, maxTokens) > limit);
            if (candidates.Count < before)
            {
                decision.Reasons.Add($"{before - candidates.Count} target(s) over the cost limit of ${Pricing.Usd(limit)}");
            }

            if (candidates.Count == 0 && before > 0)
            {
                throw Blocked(decision, "cost_limit",
                    $"Every allowed target's worst-case cost exceeds the limit of ${Pricing.Usd(limit)} for this request (prompt of {signals.PromptTokens} tokens); lower max_tokens or raise the limit.");
            }
        }

        if (call.Request.Constraints is { HasLatencySloMs: true } c)
        {
            // Stable: within each group the tenant's (or catalogue's) order stays.
            candidates = [.. candidates.OrderBy(t => latency.Milliseconds(t.Id) is { } ms && ms > c.LatencySloMs ? 1 : 0)];
        }

        if (candidates.Count == 0)
        {
            throw Blocked(decision, "no_target", decision.LocalOnly
                ? $"This request's data is {DataClasses.Name(signals.DataClass)} and may only go to local targets, but no local LLM target is allowed for the tenant."
                : "No LLM target is allowed for this tenant (check its allowed_targets and allowed_regions, and llm-proxy's catalogue).");
        }

        return new TargetChain(candidates, hint);
    }

    /// <summary>The smaller of the caller's max cost and the tenant's per-request limit (0: none).</summary>
    public static long? MaxCost(ChatCall call, TenantPolicy tenant)
    {
        long? limit = call.Request.Constraints is { HasMaxCostMicros: true } c ? c.MaxCostMicros : null;
        if (tenant.MaxCostPerRequestMicros > 0)
        {
            limit = limit is { } l ? Math.Min(l, tenant.MaxCostPerRequestMicros) : tenant.MaxCostPerRequestMicros;
        }

        return limit;
    }

    private static RoutingException Blocked(PolicyDecision decision, string code, string message)
    {
        decision.Route = RouteKind.Blocked;
        decision.BlockCode = code;
        decision.BlockMessage = message;
        decision.Reasons.Add(message);
        return new RoutingException(FailureKind.Blocked, code, message);
    }
}
