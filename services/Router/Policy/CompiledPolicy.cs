namespace HybridAI.Router.Policy;

/// <summary>A policy ready to evaluate: rules with parsed conditions. Immutable; replaced whole on reload.</summary>
public sealed class CompiledPolicy
{
    public required IReadOnlyList<CompiledRule> Rules { get; init; }

    public required PolicyThresholds Thresholds { get; init; }

    /// <summary><see cref="Thresholds"/> as applied to a tenant without its own (one shared instance).</summary>
    public AppliedThresholds ConfiguredThresholds => field ??= AppliedThresholds.FromConfiguration(Thresholds);

    /// <summary>True when no rules are configured and <see cref="DefaultPolicy"/> applies.</summary>
    public required bool IsDefault { get; init; }

    /// <summary>Problems found while compiling, each with its configuration key under <c>Router:Policy</c>.</summary>
    public required IReadOnlyList<(string Key, string Message)> Problems { get; init; }
}

/// <summary>One compiled rule.</summary>
public sealed record CompiledRule(string Name, IReadOnlyList<Condition> Conditions, RuleActions Then)
{
    public bool IsTerminal => !Then.Continue;
}
