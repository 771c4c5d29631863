using HybridAI.Router.Catalogue;

namespace HybridAI.Router.Policy;

/// <summary>
/// Evaluates the current policy for a request. Rules run in order; a rule holds when all its conditions do. A rule
/// that continues applies its modifiers (local-only, redact, retrieve, max tokens, targets) and evaluation goes on; the
/// first terminal rule that holds decides (block, or route to a tier). Built-in constraints then apply, in this order,
/// whatever the rules say: a block always wins; the SLM tier is skipped when the request has tools, the tenant does not
/// allow it, the caller's quality floor is above its expected quality, or the requested model names the LLM tier; a
/// request for <c>hybrid-slm</c> stays on the SLM tier.
/// </summary>
public sealed class PolicyEngine(PolicyProvider policies)
{
    public async Task<PolicyDecision> DecideAsync(PolicyInput input, CancellationToken cancellationToken)
    {
        var policy = policies.Current;
        var decision = new PolicyDecision();
        foreach (var rule in policy.Rules)
        {
            var facts = new List<string>(rule.Conditions.Count);
            var holds = true;
            foreach (var condition in rule.Conditions)
            {
                var result = await condition.EvaluateAsync(input, cancellationToken);
                facts.Add(result.Explanation);
                if (!result.Holds)
                {
                    holds = false;
                    break;
                }
            }

            if (!holds)
            {
                continue;
            }

            var because = facts.Count == 0 ? $"rule {rule.Name}" : $"rule {rule.Name}: {string.Join(", ", facts)}";
            if (rule.IsTerminal && IsSlmRoute(rule) && SlmRefusal(input, rule) is { } skip)
            {
                decision.Reasons.Add($"{because}, but {skip}");
                continue;
            }

            decision.MatchedRules.Add(rule.Name);
            decision.Reasons.Add(because);
            ApplyModifiers(rule.Then, decision);
            if (rule.IsTerminal)
            {
                Terminate(rule, decision);
                break;
            }
        }

        if (decision.Rule.Length == 0)
        {
            decision.Rule = "default";
            decision.Route = RouteKind.Llm;
            decision.Reasons.Add("no rule decided: the LLM tier");
        }

        ApplyTenantOverride(input, decision);
        decision.Faq = input.FaqIfLookedUp;
        if (decision.Faq is { } faq)
        {
            input.Signals.FaqScore = faq.Match.Score;
        }

        await ApplyRequestedModelAsync(input, decision, policy, cancellationToken);
        return decision;
    }

    /// <summary>
    /// The tenant's routing override for the detected intent (governance policy <c>overrides</c>): <c>slm</c> sends it to
    /// the local generator, a catalogue id pins the LLM tier to that target. Blocks, data rules (local-only, redaction)
    /// and an explicitly requested model still win; an SLM override the request cannot use is noted and ignored.
    /// </summary>
    private static void ApplyTenantOverride(PolicyInput input, PolicyDecision decision)
    {
        if (decision.Route == RouteKind.Blocked || input.Model != VirtualModels.Auto)
        {
            return;
        }

        var rule = input.Tenant.Overrides.FirstOrDefault(o => string.Equals(o.Intent, input.Signals.Intent, StringComparison.Ordinal));
        if (rule is null || rule.Target.Length == 0)
        {
            return;
        }

        var because = $"tenant override: intent {rule.Intent} -> {rule.Target}";
        if (rule.Target == SlmOptions.TargetName)
        {
            var refusal = input.HasTools ? "the request has tools" : !input.SlmAllowed ? "the tenant does not allow slm" : !input.GeneratorAvailable ? "no local generator is configured" : null;
            if (refusal is not null)
            {
                decision.Reasons.Add($"{because}, but {refusal}");
                return;
            }

            decision.Route = RouteKind.Slm;
            decision.Answer = SlmAnswer.Generate;
            decision.Cascade = true;
        }
        else
        {
            decision.Route = RouteKind.Llm;
            decision.Answer = SlmAnswer.None;
            decision.Cascade = false;
            decision.Targets = decision.Targets is { } existing ? [.. existing.Where(t => t == rule.Target)] : [rule.Target];
        }

        decision.Rule = "tenant-override";
        decision.Reasons.Add(because);
    }

    private static bool IsSlmRoute(CompiledRule rule) =>
        string.Equals(rule.Then.Route, "slm", StringComparison.OrdinalIgnoreCase) || rule.Then.Answer is not null;

    /// <summary>Why an SLM route cannot serve this request, or null when it can.</summary>
    private static string? SlmRefusal(PolicyInput input, CompiledRule rule)
    {
        if (input.HasTools)
        {
            return "the request has tools, which only the LLM tier can call";
        }

        if (!input.SlmAllowed)
        {
            return "the tenant's policy does not allow the slm target";
        }

        if (VirtualModels.IsLlmChoice(input.Model))
        {
            return $"the request asks for {input.Model}";
        }

        var answer = Answer(rule.Then);
        if (answer == SlmAnswer.Generate && !input.GeneratorAvailable)
        {
            return "no local generator is configured";
        }

        if (input.Constraints is { HasQualityFloor: true } c)
        {
            var expected = answer == SlmAnswer.Faq ? input.FaqIfLookedUp?.Match.Score ?? 0 : 1 - input.Signals.NeedsLlm;
            if (expected < c.QualityFloor)
            {
                return $"its expected quality {expected:0.###} is below the quality floor {c.QualityFloor:0.###}";
            }
        }

        return null;
    }

    private static void ApplyModifiers(RuleActions then, PolicyDecision decision)
    {
        decision.LocalOnly |= then.LocalOnly;
        decision.Redact |= then.Redact;
        decision.Retrieve = then.Retrieve ?? decision.Retrieve;
        if (then.MaxTokens is { } max)
        {
            decision.MaxTokens = decision.MaxTokens is { } current ? Math.Min(current, max) : max;
        }

        if (then.Targets is { } targets)
        {
            var set = new HashSet<string>(targets, StringComparer.Ordinal);
            if (decision.Targets is { } existing)
            {
                set.IntersectWith(existing);
            }

            decision.Targets = set;
        }
    }

    private static void Terminate(CompiledRule rule, PolicyDecision decision)
    {
        decision.Rule = rule.Name;
        if (rule.Then.Block is { } code)
        {
            decision.Route = RouteKind.Blocked;
            decision.BlockCode = code;
            decision.BlockMessage = $"The request was blocked by policy rule '{rule.Name}' ({code}).";
            return;
        }

        decision.Answer = Answer(rule.Then);
        decision.Route = decision.Answer != SlmAnswer.None ? RouteKind.Slm : RouteKind.Llm;
        decision.Cascade = decision.Route == RouteKind.Slm && (rule.Then.Cascade ?? true);
    }

    private static SlmAnswer Answer(RuleActions then) => then.Answer?.ToLowerInvariant() switch
    {
        "faq" => SlmAnswer.Faq,
        "generate" => SlmAnswer.Generate,
        _ when string.Equals(then.Route, "slm", StringComparison.OrdinalIgnoreCase) => SlmAnswer.Generate,
        _ => SlmAnswer.None,
    };

    /// <summary><c>hybrid-slm</c> keeps a request on the SLM tier: the FAQ when it matches, else the local generator, never escalated.</summary>
    private static async Task ApplyRequestedModelAsync(PolicyInput input, PolicyDecision decision, CompiledPolicy policy, CancellationToken cancellationToken)
    {
        if (decision.Route == RouteKind.Blocked || !VirtualModels.IsSlmChoice(input.Model) || decision.Route == RouteKind.Slm)
        {
            if (decision.Route == RouteKind.Slm && VirtualModels.IsSlmChoice(input.Model))
            {
                decision.Cascade = false;
            }

            return;
        }

        decision.Cascade = false;
        decision.Rule = "requested-model";
        if (input.HasTools || !input.SlmAllowed)
        {
            decision.Route = RouteKind.Blocked;
            decision.BlockCode = "slm_unavailable";
            decision.BlockMessage = input.HasTools
                ? "hybrid-slm cannot serve a request with tools: only the LLM tier calls tools."
                : "hybrid-slm was requested, but the tenant's policy does not allow the slm target.";
            decision.Reasons.Add(decision.BlockMessage);
            return;
        }

        var faq = await input.FaqAsync(cancellationToken);
        decision.Faq = faq;
        if (faq is not null)
        {
            input.Signals.FaqScore = faq.Match.Score;
        }

        var faqThreshold = (input.Thresholds ?? policy.ConfiguredThresholds).FaqScore;
        if (faq is not null && faq.Match.Score >= faqThreshold)
        {
            decision.Route = RouteKind.Slm;
            decision.Answer = SlmAnswer.Faq;
            decision.Reasons.Add($"{input.Model} requested: FAQ match {faq.Match.Score:0.###} >= {faqThreshold:0.###}");
        }
        else if (input.GeneratorAvailable)
        {
            decision.Route = RouteKind.Slm;
            decision.Answer = SlmAnswer.Generate;
            decision.Reasons.Add($"{input.Model} requested: the local generator");
        }
        else
        {
            decision.Route = RouteKind.Blocked;
            decision.BlockCode = "slm_unavailable";
            decision.BlockMessage = "hybrid-slm was requested, but the SLM tier has no answer: no strong FAQ match and no local generator is configured.";
            decision.Reasons.Add(decision.BlockMessage);
        }
    }
}
