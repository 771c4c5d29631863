using System.Threading.Channels;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Router.Catalogue;
using HybridAI.Router.Errors;
using HybridAI.Router.Execution;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Policy;
using HybridAI.Router.Telemetry;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Shadow;

/// <summary>
/// Chooses served answers for shadow evaluation as requests finish, without ever making a request wait: an answer from
/// the SLM tier or the cache, in the tenant's sample (<see cref="ShadowSampling"/>), is queued when the data-class policy
/// lets it leave (nothing confidential or restricted, nothing from a local-only tenant, only redacted text from a
/// redact-mode tenant, only targets and a judge the tenant's policy allows) and its worst case fits the tenant's
/// shadow budget for the day. A full queue drops the sample (counted); every other reason not to sample is counted too.
/// </summary>
public sealed class ShadowSampler
{
    private readonly Channel<ShadowSample> _queue;
    private readonly IOptions<RouterOptions> _options;
    private readonly TargetCatalogue _catalogue;
    private readonly LatencyTracker _latency;
    private readonly ShadowBudget _budget;
    private readonly RouterTelemetry _telemetry;

    public ShadowSampler(IOptions<RouterOptions> options, TargetCatalogue catalogue, LatencyTracker latency, ShadowBudget budget, RouterTelemetry telemetry)
    {
        _options = options;
        _catalogue = catalogue;
        _latency = latency;
        _budget = budget;
        _telemetry = telemetry;
        _queue = Channel.CreateBounded<ShadowSample>(new BoundedChannelOptions(options.Value.Shadow.QueueCapacity)
        {
            SingleWriter = false,
            SingleReader = options.Value.Shadow.Concurrency == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The queue the workers read.</summary>
    public ChannelReader<ShadowSample> Queue => _queue.Reader;

    /// <summary>Ends the queue (shutdown): workers finish what is queued, nothing new is accepted.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Considers a finished request for the sample; returns at once whatever it decides.</summary>
    public void Offer(RoutedRequest request)
    {
        var o = _options.Value.Shadow;
        if (!o.Enabled || request.Outcome != "ok" || request.Route is not ("slm" or "cache") || request.AnswerText.Length == 0
            || request.Tenant is not { } tenant || request.Signals is not { } signals)
        {
            return;
        }

        var tenantId = request.Caller.TenantId;
        if (!ShadowSampling.Selects(request.Caller.RequestId, o.RateFor(tenantId)))
        {
            return;
        }

        if (Exclusion(request, tenant, signals, o, out var chain, out var judge) is { } reason)
        {
            _telemetry.ShadowSkipped(tenantId, reason);
            return;
        }

        var estimate = Estimate(chain, judge, signals.PromptTokens, request.AnswerText.Length, o);
        if (!_budget.TryReserve(tenantId, estimate, o.BudgetFor(tenantId), out var day))
        {
            _telemetry.ShadowSkipped(tenantId, "budget");
            return;
        }

        var sample = new ShadowSample(request.Call, tenant, request.Route, signals.Intent, request.AnswerText, chain, judge,
            tenant.PiiMode == PiiMode.Redact, day, estimate);
        if (!_queue.Writer.TryWrite(sample))
        {
            _budget.Settle(tenantId, day, estimate, 0);
            _telemetry.ShadowDropped(tenantId, "queue_full");
            return;
        }

        _telemetry.ShadowSampled(tenantId);
    }

    /// <summary>Why the sample may not be evaluated, or null; sets the chain and judge when it may.</summary>
    private string? Exclusion(RoutedRequest request, TenantPolicy tenant, Signals.RequestSignals signals, ShadowOptions o,
        out TargetChain chain, out CatalogueModel? judge)
    {
        chain = TargetChain.Empty;
        judge = null;
        if (DataClasses.IsSensitive(request.DataClass))
        {
            return "data_class";
        }

        if (tenant.PiiMode == PiiMode.LocalOnly)
        {
            return "local_only";
        }

        if (_catalogue.Current is not { } snapshot)
        {
            return "no_target";
        }

        var probe = new PolicyDecision
        {
            Route = RouteKind.Llm,
            Redact = tenant.PiiMode == PiiMode.Redact,
            Targets = o.Targets.Count > 0 ? [.. o.Targets] : null,
        };
        try
        {
            chain = TargetSelector.Select(request.Call, tenant, probe, signals, snapshot, _latency, o.MaxTokens);
        }
        catch (RoutingException)
        {
            return "no_target";
        }

        if (o.ExactMatchIntents.Contains(signals.Intent, StringComparer.Ordinal))
        {
            return null;
        }

        judge = o.Judge.Length == 0 ? chain.Targets[0] : snapshot.Find(o.Judge);
        if (judge is null)
        {
            return "no_judge";
        }

        var allowed = (tenant.AllowedTargets.Count == 0 || tenant.AllowedTargets.Contains(judge.Id))
            && (judge.Local || tenant.AllowedRegions.Count == 0 || tenant.AllowedRegions.Contains(judge.Region, StringComparer.OrdinalIgnoreCase));
        return allowed ? null : "judge_not_allowed";
    }

    /// <summary>The worst case of the re-run and of the judge's call (which reads the conversation and both answers).</summary>
    private static long Estimate(TargetChain chain, CatalogueModel? judge, int promptTokens, int answerChars, ShadowOptions o)
    {
        var rerun = chain.WorstCaseMicros(promptTokens, o.MaxTokens);
        if (judge is null)
        {
            return rerun;
        }

        var judgePrompt = promptTokens + o.MaxTokens + (answerChars / 2) + ShadowRubric.OverheadTokens;
        return rerun + Pricing.WorstCaseMicros(judge, judgePrompt, o.JudgeMaxTokens);
    }
}
