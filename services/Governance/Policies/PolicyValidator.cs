using System.Text.RegularExpressions;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;

namespace HybridAI.Governance.Policies;

/// <summary>
/// Checks a policy for every problem at once: malformed values, unknown targets (when a catalogue is known) and
/// contradictions (local-only with no local target, an override to a target the policy does not allow, a daily
/// budget above the monthly one, a per-key limit above the tenant's).
/// </summary>
public static partial class PolicyValidator
{
    public const int MaxTargets = 100;
    public const int MaxOverrides = 200;
    public static readonly string[] Periods = ["day", "month"];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex Region();

    public static List<Problem> Validate(TenantPolicy policy, CatalogueSnapshot? catalogue)
    {
        var problems = new List<Problem>();
        CheckTargets(policy, catalogue, problems);
        CheckRegions(policy, catalogue, problems);
        CheckPii(policy, catalogue, problems);
        CheckMoney(policy, problems);
        CheckRates(policy, problems);
        CheckOverrides(policy, catalogue, problems);
        CheckThresholds(policy, problems);
        return problems;
    }

    private static void CheckTargets(TenantPolicy policy, CatalogueSnapshot? catalogue, List<Problem> problems)
    {
        if (policy.AllowedTargets.Count > MaxTargets)
        {
            problems.Add(new("allowed_targets", $"may list at most {MaxTargets} targets, but lists {policy.AllowedTargets.Count}."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < policy.AllowedTargets.Count; i++)
        {
            var target = policy.AllowedTargets[i];
            var field = $"allowed_targets[{i}]";
            if (string.IsNullOrWhiteSpace(target) || target.Length > 128)
            {
                problems.Add(new(field, "must be a catalogue id of 1-128 characters."));
            }
            else if (!seen.Add(target))
            {
                problems.Add(new(field, $"'{target}' is listed twice."));
            }
            else if (catalogue is not null && !catalogue.Targets.ContainsKey(target))
            {
                problems.Add(new(field, $"unknown target '{Short(target)}' (known from {catalogue.Source}: {Known(catalogue)})."));
            }
        }
    }

    private static void CheckRegions(TenantPolicy policy, CatalogueSnapshot? catalogue, List<Problem> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < policy.AllowedRegions.Count; i++)
        {
            var region = policy.AllowedRegions[i];
            if (!Region().IsMatch(region))
            {
                problems.Add(new($"allowed_regions[{i}]", $"must be a residency tag such as eu or us-east, but is '{Short(region)}'."));
            }
            else if (!seen.Add(region))
            {
                problems.Add(new($"allowed_regions[{i}]", $"'{region}' is listed twice."));
            }
        }

        if (seen.Count == 0 || catalogue is null)
        {
            return;
        }

        for (var i = 0; i < policy.AllowedTargets.Count; i++)
        {
            if (catalogue.Targets.TryGetValue(policy.AllowedTargets[i], out var t) && !t.Local && t.Region.Length > 0 && !seen.Contains(t.Region))
            {
                problems.Add(new($"allowed_targets[{i}]",
                    $"target '{t.Id}' runs in region '{t.Region}', outside allowed_regions ({string.Join(", ", seen)}): the policy contradicts itself."));
            }
        }
    }

    private static void CheckPii(TenantPolicy policy, CatalogueSnapshot? catalogue, List<Problem> problems)
    {
        if (!Enum.IsDefined(policy.PiiMode))
        {
            problems.Add(new("pii_mode", $"must be redact, local-only or block, but is {(int)policy.PiiMode}."));
            return;
        }

        if (policy.PiiMode != PiiMode.LocalOnly || policy.AllowedTargets.Count == 0)
        {
            return;
        }

        var anyLocal = policy.AllowedTargets.Any(t => t == TargetCatalogue.Slm || (catalogue?.Targets.TryGetValue(t, out var c) == true && c.Local));
        var allKnown = catalogue is not null && policy.AllowedTargets.All(catalogue.Targets.ContainsKey);
        // Without a catalogue a target's locality is unknown, so only a provable contradiction is reported.
        if (!anyLocal && allKnown)
        {
            problems.Add(new("pii_mode",
                $"is local-only but allowed_targets ({string.Join(", ", policy.AllowedTargets.Select(Short))}) has no local target (add '{TargetCatalogue.Slm}' or a local model): sensitive requests could go nowhere."));
        }
    }

    private static void CheckMoney(TenantPolicy policy, List<Problem> problems)
    {
        if (policy.MaxCostPerRequestMicros < 0)
        {
            problems.Add(new("max_cost_per_request_micros", $"must be 0 (no limit) or positive, but is {policy.MaxCostPerRequestMicros}."));
        }

        var limits = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < policy.Budgets.Count; i++)
        {
            var budget = policy.Budgets[i];
            if (!Periods.Contains(budget.Period, StringComparer.Ordinal))
            {
                problems.Add(new($"budgets[{i}].period", $"must be day or month, but is '{Short(budget.Period)}'."));
            }
            else if (!limits.TryAdd(budget.Period, budget.LimitMicros))
            {
                problems.Add(new($"budgets[{i}].period", $"a {budget.Period} budget is already defined."));
            }

            if (budget.LimitMicros <= 0)
            {
                problems.Add(new($"budgets[{i}].limit_micros", $"must be positive, but is {budget.LimitMicros}."));
            }
        }

        if (limits.TryGetValue("day", out var day) && limits.TryGetValue("month", out var month) && month > 0 && day > month)
        {
            problems.Add(new("budgets", $"the day budget ({day} micros) exceeds the month budget ({month} micros): the policy contradicts itself."));
        }
    }

    private static void CheckRates(TenantPolicy policy, List<Problem> problems)
    {
        var tenant = policy.RateLimits ?? new RateLimits();
        var key = policy.KeyRateLimits ?? new RateLimits();
        foreach (var (field, value) in new[]
        {
            ("rate_limits.requests_per_minute", tenant.RequestsPerMinute), ("rate_limits.tokens_per_minute", tenant.TokensPerMinute),
            ("key_rate_limits.requests_per_minute", key.RequestsPerMinute), ("key_rate_limits.tokens_per_minute", key.TokensPerMinute),
        })
        {
            if (value < 0)
            {
                problems.Add(new(field, $"must be 0 (unlimited) or positive, but is {value}."));
            }
        }

        if (tenant.RequestsPerMinute > 0 && key.RequestsPerMinute > tenant.RequestsPerMinute)
        {
            problems.Add(new("key_rate_limits.requests_per_minute", $"{key.RequestsPerMinute} exceeds the tenant's {tenant.RequestsPerMinute}: the policy contradicts itself."));
        }

        if (tenant.TokensPerMinute > 0 && key.TokensPerMinute > tenant.TokensPerMinute)
        {
            problems.Add(new("key_rate_limits.tokens_per_minute", $"{key.TokensPerMinute} exceeds the tenant's {tenant.TokensPerMinute}: the policy contradicts itself."));
        }
    }

    private static void CheckOverrides(TenantPolicy policy, CatalogueSnapshot? catalogue, List<Problem> problems)
    {
        if (policy.Overrides.Count > MaxOverrides)
        {
            problems.Add(new("overrides", $"may hold at most {MaxOverrides} entries, but holds {policy.Overrides.Count}."));
        }

        var intents = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < policy.Overrides.Count; i++)
        {
            var o = policy.Overrides[i];
            if (string.IsNullOrWhiteSpace(o.Intent) || o.Intent.Length > 64)
            {
                problems.Add(new($"overrides[{i}].intent", "must be an intent name of 1-64 characters."));
            }
            else if (!intents.Add(o.Intent))
            {
                problems.Add(new($"overrides[{i}].intent", $"'{Short(o.Intent)}' already has an override."));
            }

            if (string.IsNullOrWhiteSpace(o.Target))
            {
                problems.Add(new($"overrides[{i}].target", "is required."));
            }
            else if (catalogue is not null && !catalogue.Targets.ContainsKey(o.Target))
            {
                problems.Add(new($"overrides[{i}].target", $"unknown target '{Short(o.Target)}' (known from {catalogue.Source}: {Known(catalogue)})."));
            }
            else if (policy.AllowedTargets.Count > 0 && !policy.AllowedTargets.Contains(o.Target))
            {
                problems.Add(new($"overrides[{i}].target", $"'{Short(o.Target)}' is not in allowed_targets: the policy contradicts itself."));
            }
        }
    }

    private static string Known(CatalogueSnapshot catalogue) =>
        string.Join(", ", catalogue.Targets.Keys.Order(StringComparer.Ordinal).Take(20)) + (catalogue.Targets.Count > 20 ? ", …" : "");

    private static string Short(string value) => Tenants.TenantRules.Truncate(value);
}
