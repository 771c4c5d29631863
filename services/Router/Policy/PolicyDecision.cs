namespace HybridAI.Router.Policy;

/// <summary>Where the policy sends a request.</summary>
public enum RouteKind
{
    Slm,
    Llm,
    Blocked,
}

/// <summary>How an SLM-tier request is answered.</summary>
public enum SlmAnswer
{
    None,
    Faq,
    Generate,
}

/// <summary>The policy's decision for one request, with every reason in evaluation order.</summary>
public sealed class PolicyDecision
{
    public RouteKind Route { get; set; } = RouteKind.Llm;

    public SlmAnswer Answer { get; set; }

    /// <summary>The terminal rule (or the built-in step) that decided the route.</summary>
    public string Rule { get; set; } = "";

    public List<string> Reasons { get; } = [];

    /// <summary>The rules whose conditions held, in order (modifiers and the terminal one).</summary>
    public List<string> MatchedRules { get; } = [];

    public string? BlockCode { get; set; }

    public string? BlockMessage { get; set; }

    public bool LocalOnly { get; set; }

    public bool Redact { get; set; }

    public string? Retrieve { get; set; }

    /// <summary>Escalate a low-confidence SLM answer to the LLM tier.</summary>
    public bool Cascade { get; set; }

    public int? MaxTokens { get; set; }

    /// <summary>When set, the LLM tier may use only these catalogue ids.</summary>
    public HashSet<string>? Targets { get; set; }

    /// <summary>The FAQ match a rule looked up (reused by the SLM tier instead of asking again).</summary>
    public FaqLookup? Faq { get; set; }

    /// <summary>The short reason for headers: the deciding rule and its facts.</summary>
    public string Summary => Reasons.Count == 0 ? Rule : Reasons[^1];

    /// <summary>The actions in force, as recorded in receipts (<c>redact</c>, <c>local-only</c>, <c>retrieve:docs</c>, …).</summary>
    public IEnumerable<string> Actions()
    {
        if (Redact)
        {
            yield return "redact";
        }

        if (LocalOnly)
        {
            yield return "local-only";
        }

        if (Retrieve is { } collection)
        {
            yield return $"retrieve:{collection}";
        }

        if (Cascade)
        {
            yield return "cascade";
        }

        if (MaxTokens is { } max)
        {
            yield return $"max-tokens:{max}";
        }

        if (Targets is { } targets)
        {
            yield return $"targets:{string.Join(",", targets)}";
        }
    }
}
