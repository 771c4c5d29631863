namespace HybridAI.Router.Policy;

/// <summary>
/// The default policy, written in the same rule syntax an operator uses in <c>Router:Policy:Rules</c> (docs/routing.md
/// shows it as configuration). Its thresholds are <c>Router:Policy:Thresholds</c>.
/// </summary>
public static class DefaultPolicy
{
    public static IReadOnlyList<PolicyRuleOptions> Rules { get; } =
    [
        Rule("block-attacks", new() { ["guard_score"] = ">= $guard" }, new() { Block = "prompt_injection" }),
        Rule("pii-block", new() { ["data_class"] = ">= confidential", ["pii_mode"] = "block" }, new() { Block = "pii_blocked" }),
        Rule("pii-local-only", new() { ["data_class"] = ">= confidential", ["pii_mode"] = "local_only" }, new() { LocalOnly = true, Continue = true }),
        Rule("pii-redact", new() { ["data_class"] = ">= confidential", ["pii_mode"] = "redact" }, new() { Redact = true, Continue = true }),
        // Recall first: a suspected name, a postal code or a URL does not make a request confidential, but under the
        // local-only and redact modes it must not reach an external model as written either.
        Rule("pii-local-only-found", new() { ["pii_found"] = "present", ["pii_mode"] = "local_only" }, new() { LocalOnly = true, Continue = true }),
        Rule("pii-redact-found", new() { ["pii_found"] = "present", ["pii_mode"] = "redact" }, new() { Redact = true, Continue = true }),
        Rule("faq", new() { ["intent"] = "in $faq_intents", ["faq_score"] = ">= $faq_score" }, new() { Route = "slm", Answer = "faq" }),
        Rule("local-generator", new() { ["needs_llm"] = "< $needs_llm", ["generator"] = "available" },
            new() { Route = "slm", Answer = "generate", Cascade = true }),
        Rule("llm", [], new() { Route = "llm" }),
    ];

    private static PolicyRuleOptions Rule(string name, Dictionary<string, string> when, RuleActions then) =>
        new() { Name = name, When = when, Then = then };
}
