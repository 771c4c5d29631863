using System.Diagnostics;
using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Governance.Client.Policies;
using HybridAI.Router.Budgets;
using HybridAI.Router.Caching;
using HybridAI.Router.Catalogue;
using HybridAI.Router.Errors;
using HybridAI.Router.Execution;
using HybridAI.Router.Policy;
using HybridAI.Router.Privacy;
using HybridAI.Router.Receipts;
using HybridAI.Router.Requests;
using HybridAI.Router.Shadow;
using HybridAI.Router.Signals;
using HybridAI.Router.Telemetry;
using HybridAI.Tokens;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Pipeline;

/// <summary>
/// The request pipeline (docs/routing.md): admit (the tenant's policy) → signals → policy → target chain → cache →
/// augment → execute (SLM tier with cascade, or LLM tier with budget reservation and fallback) → record (a receipt for
/// every request, telemetry). <see cref="PlanAsync"/> is everything up to execution, which Explain uses alone.
/// </summary>
public sealed partial class RoutingPipeline(
    TenantPolicyCache tenants, SignalExtractor signalExtractor, PolicyEngine engine, TargetCatalogue catalogue, LocalModels localModels,
    SlmTier slm, LlmTier llm, BudgetGuard budget, IResponseCache cache, RetrievalAugmenter augmenter, IRedactionFactory redactions,
    ReceiptRecorder receipts, ShadowSampler shadow, RouterTelemetry telemetry, LatencyTracker latency, TokenCounter tokens, PolicyProvider policies,
    IPiiScanner scanner, Tools.ToolLoop toolLoop, IOptions<RouterOptions> options, TimeProvider clock, ILogger<RoutingPipeline> logger)
{
    public RoutedRequest Begin(ChatCall call) => new(call, clock.GetUtcNow());

    /// <summary>Admit, measure and decide, without executing anything. Throws a blocked <see cref="RoutingException"/> with the decision set.</summary>
    public async Task PlanAsync(RoutedRequest request, CancellationToken cancellationToken)
    {
        var call = request.Call;
        ChatRequestValidator.Validate(call.Request);
        var snapshot = await CatalogueAsync(call, cancellationToken);
        request.Tenant = await TenantAsync(call.Caller, cancellationToken);
        request.Signals = await signalExtractor.ComputeAsync(call, cancellationToken);
        var models = await localModels.GetAsync(cancellationToken);
        request.Thresholds = AppliedThresholds.For(Policy, request.Tenant);
        var input = new PolicyInput
        {
            Thresholds = request.Thresholds,
            Signals = request.Signals,
            Tenant = request.Tenant,
            Model = call.Model,
            GeneratorAvailable = models.HasGenerator,
            SlmAllowed = request.Tenant.AllowedTargets.Count == 0 || request.Tenant.AllowedTargets.Contains(SlmOptions.TargetName),
            HasTools = call.HasTools,
            Constraints = call.Request.Constraints,
            FaqLookup = ct => FaqLookupAsync(request, ct),
        };
        var decision = await engine.DecideAsync(input, cancellationToken);
        request.Decision = decision;
        request.MaxTokens = Min(call.Request.HasMaxTokens ? call.Request.MaxTokens : null, decision.MaxTokens);
        if (decision.Route == RouteKind.Blocked)
        {
            throw Blocked(request);
        }

        if (decision.Route == RouteKind.Llm)
        {
            SelectChain(request, snapshot);
        }
        else
        {
            request.Route = "slm";
            request.Answer = decision.Answer == SlmAnswer.Faq ? "faq" : "generate";
            request.Model = decision.Answer == SlmAnswer.Faq && decision.Faq is { } faq ? FaqModel(faq) : models.Generator ?? "";
            if (decision.Cascade && !CanEscalate(request, snapshot))
            {
                // Escalating would fail (sensitive data with no allowed LLM target): the local answer is the best there is.
                // Noted before the deciding rule's reason, which stays the decision's summary (x-hybridai-reason).
                decision.Cascade = false;
                decision.Reasons.Insert(Math.Max(0, decision.Reasons.Count - 1), "no cascade: no LLM target may serve this request, so the local answer stands");
            }
        }
    }

    /// <summary>Whether an LLM chain could serve the request, judged on a copy so the decision is untouched.</summary>
    private bool CanEscalate(RoutedRequest request, CatalogueSnapshot snapshot)
    {
        var decision = request.Decision!;
        var probe = new PolicyDecision { Route = RouteKind.Llm, LocalOnly = decision.LocalOnly, Redact = decision.Redact, Targets = decision.Targets };
        try
        {
            TargetSelector.Select(request.Call, request.Tenant!, probe, request.Signals!, snapshot, latency, request.MaxTokens);
            return true;
        }
        catch (RoutingException)
        {
            return false;
        }
    }

    /// <summary>The LLM chain for the request (throws a blocked failure when no target may serve it).</summary>
    private void SelectChain(RoutedRequest request, CatalogueSnapshot snapshot)
    {
        try
        {
            request.Chain = TargetSelector.Select(request.Call, request.Tenant!, request.Decision!, request.Signals!, snapshot, latency, request.MaxTokens);
        }
        catch (RoutingException e) when (e.Kind == FailureKind.Blocked)
        {
            throw Blocked(request);
        }

        request.Route = "llm";
        request.Answer = "llm";
        request.Model = request.Chain.Targets[0].Id;
        request.ReservedMicros = request.Chain.WorstCaseMicros(request.Signals!.PromptTokens, request.MaxTokens);
    }

    private async Task<CatalogueSnapshot> CatalogueAsync(ChatCall call, CancellationToken cancellationToken)
    {
        CatalogueSnapshot snapshot;
        try
        {
            snapshot = await catalogue.GetAsync(cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw RoutingException.Unavailable("catalogue_unavailable",
                $"llm-proxy's model catalogue could not be read ({e.StatusCode}: {e.Status.Detail}).", TimeSpan.FromSeconds(1), e);
        }

        if (!VirtualModels.IsVirtual(call.Model) && snapshot.Find(call.Model) is null)
        {
            throw new RoutingException(FailureKind.NotFound, "model_not_found",
                $"The model '{call.Model}' does not exist. Use {string.Join(", ", VirtualModels.All.Select(m => m.Id))} or a catalogue id ({string.Join(", ", snapshot.Models.Select(m => m.Id))}).",
                "model");
        }

        return snapshot;
    }

    private async Task<Contracts.Governance.V1.TenantPolicy> TenantAsync(Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            return await tenants.GetAsync(caller.TenantId, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new RoutingException(FailureKind.Unauthenticated, "unknown_tenant", $"Tenant '{caller.TenantId}' does not exist.", inner: e);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw RoutingException.Unavailable("policy_unavailable",
                $"The tenant's policy could not be read from governance ({e.StatusCode}: {e.Status.Detail}).", TimeSpan.FromSeconds(1), e);
        }
    }

    private async Task<FaqLookup?> FaqLookupAsync(RoutedRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var faq = await slm.MatchFaqAsync(request.Caller, request.Call.LastUserText, cancellationToken);
        request.Step("retrieval", faq?.Collection ?? string.Join(",", options.Value.Slm.ResolvedFaqCollections),
            faq is null ? "no_match" : "match", Stopwatch.GetElapsedTime(started), faq is null ? "" : $"faq {faq.Match.Id} score {faq.Match.Score:0.###}");
        if (faq is not null)
        {
            request.Signals!.Raise(faq.Match.Label);
        }

        return faq;
    }

    private static RoutingException Blocked(RoutedRequest request)
    {
        var decision = request.Decision!;
        request.Route = "blocked";
        request.Answer = "blocked";
        request.Model = "";
        request.Outcome = "blocked";
        request.Error = decision.BlockMessage ?? "blocked by policy";
        return new RoutingException(FailureKind.Blocked, decision.BlockCode ?? "blocked", request.Error);
    }

    private static string FaqModel(FaqLookup faq) => $"faq/{faq.Collection}";

    private static int? Min(int? a, int? b) => a is { } x ? (b is { } y ? Math.Min(x, y) : x) : b;

    /// <summary>Prompt and completion tokens of a locally served answer, counted with o200k (estimated).</summary>
    private TokenUsage LocalUsage(RoutedRequest request, string answer) => new()
    {
        PromptTokens = request.Signals!.PromptTokens,
        CompletionTokens = tokens.Count(TokenCounter.O200k, answer),
        Estimated = true,
    };

    private CompiledPolicy Policy => policies.Current;

    private AppliedThresholds Thresholds(RoutedRequest request) => request.Thresholds ?? Policy.ConfiguredThresholds;
}
