using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Execution;
using HybridAI.Router.Policy;
using HybridAI.Router.Requests;
using HybridAI.Router.Signals;

namespace HybridAI.Router.Pipeline;

/// <summary>
/// One routed request as it goes through the pipeline: what was measured and decided, what ran (steps), what it used
/// and cost. It becomes the response's decision (headers, the <c>hybridai</c> object, trailers) and the receipt.
/// </summary>
public sealed class RoutedRequest(ChatCall call, DateTimeOffset started)
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public ChatCall Call { get; } = call;

    public Caller Caller => Call.Caller;

    public DateTimeOffset Started { get; } = started;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public TenantPolicy? Tenant { get; set; }

    public RequestSignals? Signals { get; set; }

    public PolicyDecision? Decision { get; set; }

    /// <summary>The thresholds in force for this request (set when it is planned).</summary>
    public AppliedThresholds? Thresholds { get; set; }

    public TargetChain Chain { get; set; } = TargetChain.Empty;

    /// <summary>The request's max_tokens capped by the policy's.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Where it was served: slm, llm, cache, blocked.</summary>
    public string Route { get; set; } = "blocked";

    /// <summary>How it was answered: faq, generate, llm, cache, blocked.</summary>
    public string Answer { get; set; } = "blocked";

    /// <summary>The model that served (or would serve) it.</summary>
    public string Model { get; set; } = "";

    public TokenUsage Usage { get; set; } = new();

    public long CostMicros { get; set; }

    public long BaselineMicros { get; set; }

    public long ReservedMicros { get; set; }

    public bool Cascaded { get; set; }

    public bool Fallback { get; set; }

    public bool CacheHit { get; set; }

    public bool Redacted { get; set; }

    public SortedSet<string> RedactionTypes { get; } = new(StringComparer.Ordinal);

    public List<ReceiptStep> Steps { get; } = [];

    public List<Citation> Citations { get; } = [];

    /// <summary>ok, error, blocked, cancelled.</summary>
    public string Outcome { get; set; } = "ok";

    public string Error { get; set; } = "";

    /// <summary>The text of the answer served (what shadow evaluation judges); empty until one is.</summary>
    public string AnswerText { get; set; } = "";

    /// <summary>The local generator's mean token log-probability, when it generated the served answer (the cascade's confidence).</summary>
    public double? SlmMeanLogprob { get; set; }

    /// <summary>What happened after the policy decided (escalations, fallbacks), appended to its reasons.</summary>
    public List<string> ExecutionReasons { get; } = [];

    public DataClass DataClass => Signals?.DataClass ?? Call.Request.Constraints?.MinDataClass ?? DataClass.Public;

    public void Step(string kind, string name, string outcome, TimeSpan latency, string detail = "") =>
        Steps.Add(new ReceiptStep { Kind = kind, Name = name, Outcome = outcome, LatencyMs = (long)latency.TotalMilliseconds, Detail = detail });

    /// <summary>The short reason: the last thing that decided where the request went.</summary>
    public string Reason => ExecutionReasons.Count > 0 ? ExecutionReasons[^1] : Decision?.Summary ?? Error;

    public RoutingDecision ToDecision()
    {
        var decision = new RoutingDecision
        {
            Route = Route switch
            {
                "slm" => Contracts.Common.V1.Route.Slm,
                "llm" => Contracts.Common.V1.Route.Llm,
                "cache" => Contracts.Common.V1.Route.Cache,
                _ => Contracts.Common.V1.Route.Blocked,
            },
            Model = Model,
            Rule = Decision?.Rule ?? "",
            DataClass = DataClass,
            Redacted = Redacted,
            Cascaded = Cascaded,
            Fallback = Fallback,
            CacheHit = CacheHit,
            CostMicros = CostMicros,
            BaselineCostMicros = BaselineMicros,
            Answer = Answer,
            BlockCode = Decision?.BlockCode ?? "",
        };
        if (Decision is { } d)
        {
            decision.Reasons.AddRange(d.Reasons);
            decision.Actions.AddRange(d.Actions());
        }

        decision.Reasons.AddRange(ExecutionReasons);
        decision.AllowedTargets.AddRange(Chain.Ids);
        return decision;
    }

    /// <summary>The receipt: signals with finding types and spans (never values), the decision, usage, cost and every step.</summary>
    public RoutingReceipt ToReceipt()
    {
        var receipt = new RoutingReceipt
        {
            Context = Caller.ToProto(),
            Time = Timestamp.FromDateTimeOffset(Started),
            Signals = Signals?.ToProto() ?? new Contracts.Common.V1.Signals { DataClass = DataClass },
            Decision = ToDecision(),
            Usage = Usage,
            LatencyMs = (long)Elapsed.TotalMilliseconds,
            Outcome = Outcome,
            Error = Error.Length > 500 ? Error[..500] : Error,
        };
        if (SlmMeanLogprob is { } logprob)
        {
            receipt.SlmMeanLogprob = logprob;
        }

        receipt.Redactions.AddRange(RedactionTypes);
        receipt.Steps.AddRange(Steps);
        return receipt;
    }
}
