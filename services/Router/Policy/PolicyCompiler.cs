using System.Globalization;
using System.Text.RegularExpressions;

namespace HybridAI.Router.Policy;

/// <summary>
/// Parses <c>Router:Policy</c> into a <see cref="CompiledPolicy"/>, naming every problem by its key (e.g.
/// <c>Rules:2:When:guard_score</c>) so a bad policy is refused at start, and a bad reload is refused with the reason.
/// </summary>
public static partial class PolicyCompiler
{
    /// <summary>Signals a rule may test, with what each holds.</summary>
    public static IReadOnlyDictionary<string, string> KnownSignals { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["guard_score"] = "number 0..1",
        ["needs_llm"] = "number 0..1",
        ["intent"] = "intent label",
        ["intent_confidence"] = "number 0..1",
        ["faq_score"] = "number 0..1 (looks up the FAQ knowledge base)",
        ["prompt_tokens"] = "number",
        ["data_class"] = "public, internal, confidential, restricted",
        ["pii_mode"] = "redact, local_only, block (the tenant's policy)",
        ["pii_types"] = "finding types (EMAIL, CREDIT_CARD, …)",
        ["pii_found"] = "present, absent (any PII finding, suspected ones included)",
        ["model"] = "the requested model",
        ["tenant"] = "tenant id",
        ["generator"] = "available, unavailable",
        ["tools"] = "present, absent",
        ["latency_slo_ms"] = "number (the request's constraint)",
        ["quality_floor"] = "number 0..1 (the request's constraint)",
    };

    private static readonly string[] Routes = ["slm", "llm"];
    private static readonly string[] Answers = ["faq", "generate"];

    public static CompiledPolicy Compile(PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<(string Key, string Message)>();
        var isDefault = options.Rules.Count == 0;
        var sources = isDefault ? DefaultPolicy.Rules : options.Rules;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var rules = new List<CompiledRule>(sources.Count);
        for (var i = 0; i < sources.Count; i++)
        {
            var rule = sources[i];
            var prefix = isDefault ? $"(default rule {rule.Name})" : $"Rules:{i}";
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                problems.Add(($"{prefix}:Name", "is required."));
            }
            else if (!names.Add(rule.Name))
            {
                problems.Add(($"{prefix}:Name", $"'{rule.Name}' is used by an earlier rule; names must be unique."));
            }

            var conditions = new List<Condition>();
            foreach (var (signal, predicate) in rule.When)
            {
                var key = $"{prefix}:When:{signal}";
                var condition = ParseCondition(signal.Trim().ToLowerInvariant(), predicate ?? "", options, out var error);
                if (condition is null)
                {
                    problems.Add((key, error!));
                }
                else
                {
                    conditions.Add(condition);
                }
            }

            // Cheap conditions first: a rule whose intent does not match never pays for an FAQ lookup, whatever order
            // configuration lists the conditions in (configuration sections come back sorted by key).
            conditions.Sort(static (a, b) => (a.Signal == "faq_score").CompareTo(b.Signal == "faq_score"));
            problems.AddRange(CheckActions(rule.Then).Select(p => ($"{prefix}:Then{(p.Field.Length > 0 ? ":" + p.Field : "")}", p.Message)));
            rules.Add(new CompiledRule(rule.Name, conditions, rule.Then));
        }

        return new CompiledPolicy { Rules = rules, Thresholds = options.Thresholds, IsDefault = isDefault, Problems = problems };
    }

    private static IEnumerable<(string Field, string Message)> CheckActions(RuleActions then)
    {
        if (then.Block is { } block && !BlockCode().IsMatch(block))
        {
            yield return (nameof(RuleActions.Block), $"must be a code of lower-case letters and underscores (e.g. prompt_injection), but is '{block}'.");
        }

        if (then.Route is { } route && !Routes.Contains(route, StringComparer.OrdinalIgnoreCase))
        {
            yield return (nameof(RuleActions.Route), $"must be slm or llm, but is '{route}'.");
        }

        if (then.Answer is { } answer && !Answers.Contains(answer, StringComparer.OrdinalIgnoreCase))
        {
            yield return (nameof(RuleActions.Answer), $"must be faq or generate, but is '{answer}'.");
        }

        if (then.Answer is not null && then.Route is { } r && !r.Equals("slm", StringComparison.OrdinalIgnoreCase))
        {
            yield return (nameof(RuleActions.Answer), "is an SLM-tier answer; it needs Route slm.");
        }

        if (then.Continue && (then.Route is not null || then.Block is not null || then.Answer is not null))
        {
            yield return (nameof(RuleActions.Continue), "a rule that continues only modifies (LocalOnly, Redact, Retrieve, MaxTokens, Targets); it cannot route or block.");
        }

        if (!then.Continue && then.Route is null && then.Block is null && then.Answer is null)
        {
            yield return ("", "must route (Route), block (Block), or continue (Continue: true).");
        }

        if (then.Block is not null && then.Route is not null)
        {
            yield return (nameof(RuleActions.Block), "a rule either blocks or routes, not both.");
        }

        if (then.Targets is { } targets && targets.Any(string.IsNullOrWhiteSpace))
        {
            yield return (nameof(RuleActions.Targets), "must not contain empty ids.");
        }
    }

    private static Condition? ParseCondition(string signal, string predicate, PolicyOptions options, out string? error)
    {
        error = null;
        if (!KnownSignals.ContainsKey(signal))
        {
            error = $"unknown signal '{signal}'; known: {string.Join(", ", KnownSignals.Keys)}.";
            return null;
        }

        var match = Predicate().Match(predicate.Trim());
        if (!match.Success || match.Groups["value"].Value.Trim().Length == 0)
        {
            error = $"'{predicate}' is not a predicate; write an operator (>=, >, <=, <, ==, !=, in, not in) and a value, e.g. \">= 0.9\" or \"in faq, greeting\".";
            return null;
        }

        var op = Whitespace().Replace(match.Groups["op"].Value.ToLowerInvariant(), " ");
        var value = match.Groups["value"].Value.Trim();
        switch (signal)
        {
            case "guard_score" or "needs_llm" or "intent_confidence" or "faq_score" or "prompt_tokens" or "latency_slo_ms" or "quality_floor":
                return Numeric(signal, op, value, options.Thresholds, out error);
            case "data_class":
                if (!DataClasses.TryParse(value, out var dataClass))
                {
                    error = $"'{value}' is not a data class (public, internal, confidential, restricted).";
                    return null;
                }

                return ToComparison(op, out var dcOp, out error) ? new DataClassCondition(dcOp, dataClass) : null;
            case "generator":
                return Flag(signal, op, value, "available", "unavailable", i => i.GeneratorAvailable, out error);
            case "pii_found":
                return Flag(signal, op, value, "present", "absent", i => i.Signals.HasFindings, out error);
            case "tools":
                return Flag(signal, op, value, "present", "absent", i => i.HasTools, out error);
            default:
                if (op is not ("" or "==" or "!=" or "in" or "not in"))
                {
                    error = $"'{op}' does not apply to {signal}; use ==, !=, in or not in.";
                    return null;
                }

                var values = List(value, options);
                if (signal == "pii_mode" && values.FirstOrDefault(v => v is not ("redact" or "local_only" or "block")) is { } bad)
                {
                    error = $"'{bad}' is not a PII mode (redact, local_only, block).";
                    return null;
                }

                return new SetCondition(signal, op is "!=" or "not in", values, Reader(signal));
        }
    }

    private static Func<PolicyInput, IEnumerable<string>> Reader(string signal) => signal switch
    {
        "intent" => i => [i.Signals.Intent],
        "pii_mode" => i => [i.PiiMode],
        "pii_types" => i => i.Signals.Findings.Select(f => f.Type).Distinct(StringComparer.Ordinal),
        "model" => i => [i.Model],
        _ => i => [i.Tenant.TenantId],
    };

    private static NumericCondition? Numeric(string signal, string op, string value, PolicyThresholds thresholds, out string? error)
    {
        if (!ToComparison(op, out var comparison, out error))
        {
            return null;
        }

        double number;
        string? reference = null;
        if (value.StartsWith('$'))
        {
            double? resolved = value.ToLowerInvariant() switch
            {
                "$guard" => thresholds.Guard,
                "$needs_llm" => thresholds.NeedsLlm,
                "$faq_score" => thresholds.FaqScore,
                "$mean_logprob" => thresholds.MeanLogprob,
                _ => null,
            };
            if (resolved is null)
            {
                error = $"unknown threshold '{value}'; known: $guard, $needs_llm, $faq_score, $mean_logprob.";
                return null;
            }

            number = resolved.Value;
            reference = value.ToLowerInvariant();
        }
        else if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            error = $"'{value}' is not a number or a threshold reference ($guard, …).";
            return null;
        }

        Func<PolicyInput, CancellationToken, ValueTask<double?>> read = signal switch
        {
            "guard_score" => (i, _) => ValueTask.FromResult<double?>(i.Signals.GuardScore),
            "needs_llm" => (i, _) => ValueTask.FromResult<double?>(i.Signals.NeedsLlm),
            "intent_confidence" => (i, _) => ValueTask.FromResult<double?>(i.Signals.IntentConfidence),
            "prompt_tokens" => (i, _) => ValueTask.FromResult<double?>(i.Signals.PromptTokens),
            "latency_slo_ms" => (i, _) => ValueTask.FromResult(i.Constraints?.HasLatencySloMs == true ? i.Constraints.LatencySloMs : (double?)null),
            "quality_floor" => (i, _) => ValueTask.FromResult(i.Constraints?.HasQualityFloor == true ? i.Constraints.QualityFloor : (double?)null),
            _ => ReadFaqScoreAsync,
        };
        return new NumericCondition(signal, comparison, number, reference, read);
    }

    private static async ValueTask<double?> ReadFaqScoreAsync(PolicyInput input, CancellationToken cancellationToken)
    {
        var faq = await input.FaqAsync(cancellationToken);
        return faq?.Match.Score;
    }

    private static FlagCondition? Flag(string signal, string op, string value, string yes, string no, Func<PolicyInput, bool> read, out string? error)
    {
        error = null;
        var v = value.ToLowerInvariant();
        if (op is not ("" or "==" or "!=") || (v != yes && v != no))
        {
            error = $"{signal} is tested as \"{yes}\" or \"{no}\" (optionally with == or !=), not '{op} {value}'.";
            return null;
        }

        return new FlagCondition(signal, (v == yes) != (op == "!="), yes, no, read);
    }

    private static bool ToComparison(string op, out Comparison comparison, out string? error)
    {
        error = null;
        comparison = op switch
        {
            ">=" => Comparison.GreaterOrEqual,
            ">" => Comparison.Greater,
            "<=" => Comparison.LessOrEqual,
            "<" => Comparison.Less,
            "" or "==" => Comparison.Equal,
            "!=" => Comparison.NotEqual,
            _ => (Comparison)(-1),
        };
        if ((int)comparison < 0)
        {
            error = $"'{op}' does not apply to a number or data class; use >=, >, <=, <, == or !=.";
            return false;
        }

        return true;
    }

    private static List<string> List(string value, PolicyOptions options) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(v => v.Equals("$faq_intents", StringComparison.OrdinalIgnoreCase) ? options.ResolvedFaqIntents : [v])];

    [GeneratedRegex(@"^(?<op>>=|<=|==|!=|>|<|not\s+in\b|in\b)?\s*(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Predicate();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex BlockCode();
}
