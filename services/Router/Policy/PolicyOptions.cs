using System.ComponentModel.DataAnnotations;

namespace HybridAI.Router.Policy;

/// <summary>
/// The routing policy (section <c>Router:Policy</c>): ordered rules over the request's signals, the tenant's policy
/// and the request's constraints. Without <see cref="Rules"/> the default policy applies (<see cref="DefaultPolicy"/>),
/// tuned by <see cref="Thresholds"/>. Watched: a change applies to the next request; an invalid change is logged and
/// the last valid policy stays in force.
/// </summary>
public sealed class PolicyOptions
{
    public PolicyThresholds Thresholds { get; set; } = new();

    /// <summary>Intents answered from the FAQ knowledge base when the match is strong (<c>$faq_intents</c> in rules). Default: <c>faq</c>.</summary>
    public List<string>? FaqIntents { get; set; }

    /// <summary>Ordered rules; empty: the default policy.</summary>
    public List<PolicyRuleOptions> Rules { get; set; } = [];

    public IReadOnlyList<string> ResolvedFaqIntents => FaqIntents is { Count: > 0 } i ? i : ["faq"];
}

/// <summary>
/// Named thresholds, referenced from rules as <c>$guard</c>, <c>$needs_llm</c>, <c>$faq_score</c>, and used by the
/// cascade (<c>MeanLogprob</c>). Tune them with <c>hybridai eval</c> (docs/routing.md).
/// </summary>
public sealed class PolicyThresholds
{
    /// <summary>Guard score at or above which a request is blocked as a prompt injection or jailbreak.</summary>
    [Range(0.0, 1.0)]
    public double Guard { get; set; } = 0.5;

    /// <summary>Needs-LLM probability below which the local generator answers (when one is configured).</summary>
    [Range(0.0, 1.0)]
    public double NeedsLlm { get; set; } = 0.3;

    /// <summary>Calibrated FAQ match score at or above which the knowledge base answers on the SLM tier.</summary>
    [Range(0.0, 1.0)]
    public double FaqScore { get; set; } = 0.7;

    /// <summary>A local answer whose mean token log-probability is below this is escalated to the LLM tier.</summary>
    [Range(-100.0, 0.0)]
    public double MeanLogprob { get; set; } = -1.2;
}

/// <summary>One rule: when every condition holds, its actions apply.</summary>
public sealed class PolicyRuleOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Name { get; set; } = "";

    /// <summary>
    /// Conditions, all of which must hold: a signal name and a predicate, e.g. <c>"guard_score": "&gt;= $guard"</c>,
    /// <c>"intent": "in faq, greeting"</c>, <c>"data_class": "&gt;= confidential"</c>. Empty: always.
    /// </summary>
    public Dictionary<string, string> When { get; set; } = [];

    public RuleActions Then { get; set; } = new();
}

/// <summary>What a matching rule does.</summary>
public sealed class RuleActions
{
    /// <summary>Refuse the request with this code (e.g. <c>prompt_injection</c>).</summary>
    public string? Block { get; set; }

    /// <summary><c>slm</c> or <c>llm</c>: the tier that answers. Ends evaluation.</summary>
    public string? Route { get; set; }

    /// <summary>On the SLM tier: <c>faq</c> (knowledge base) or <c>generate</c> (local generator).</summary>
    public string? Answer { get; set; }

    /// <summary>Only local targets may serve (the SLM tier and catalogue models marked local).</summary>
    public bool LocalOnly { get; set; }

    /// <summary>Replace sensitive values by typed placeholders before an external target sees them; restore them in the answer.</summary>
    public bool Redact { get; set; }

    /// <summary>Add the best chunks of this retrieval collection to the prompt.</summary>
    public string? Retrieve { get; set; }

    /// <summary>Escalate a low-confidence SLM answer to the LLM tier (default: true for SLM routes).</summary>
    public bool? Cascade { get; set; }

    /// <summary>Cap on generated tokens.</summary>
    [Range(1, 1_000_000)]
    public int? MaxTokens { get; set; }

    /// <summary>Restrict the LLM tier to these catalogue ids (still within the tenant's allowed targets).</summary>
    public List<string>? Targets { get; set; }

    /// <summary>Apply this rule's modifiers (local-only, redact, retrieve, max tokens, targets) and keep evaluating.</summary>
    public bool Continue { get; set; }
}
