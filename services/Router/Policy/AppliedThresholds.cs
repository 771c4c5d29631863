using System.Globalization;
using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Router.Policy;

/// <summary>One threshold in force for a request: its value and where it came from.</summary>
public sealed record AppliedThreshold(string Name, double Value, string Source);

/// <summary>
/// The thresholds in force for one request: the tenant's own (its policy's <c>thresholds</c>, set by hand or by
/// calibration) over <c>Router:Policy:Thresholds</c>. Rules referring to <c>$needs_llm</c>, <c>$faq_score</c> and
/// <c>$mean_logprob</c>, the FAQ answer and the cascade all read these.
/// </summary>
public sealed class AppliedThresholds
{
    public const string ConfigurationSource = "Router:Policy:Thresholds";

    private AppliedThresholds(PolicyThresholds defaults, TenantPolicy? tenant)
    {
        var own = tenant?.Thresholds;
        var source = tenant is null ? "" : string.Create(CultureInfo.InvariantCulture, $"tenant policy v{tenant.Version}");
        Guard = defaults.Guard;
        NeedsLlm = own is { HasNeedsLlm: true } ? own.NeedsLlm : defaults.NeedsLlm;
        FaqScore = own is { HasFaqScore: true } ? own.FaqScore : defaults.FaqScore;
        MeanLogprob = own is { HasCascadeMinMeanLogprob: true } ? own.CascadeMinMeanLogprob : defaults.MeanLogprob;
        All =
        [
            new("guard", Guard, ConfigurationSource),
            new("needs_llm", NeedsLlm, own is { HasNeedsLlm: true } ? source : ConfigurationSource),
            new("faq_score", FaqScore, own is { HasFaqScore: true } ? source : ConfigurationSource),
            new("mean_logprob", MeanLogprob, own is { HasCascadeMinMeanLogprob: true } ? source : ConfigurationSource),
        ];
    }

    public double Guard { get; }

    public double NeedsLlm { get; }

    public double FaqScore { get; }

    public double MeanLogprob { get; }

    /// <summary>Every threshold with its source (for Explain).</summary>
    public IReadOnlyList<AppliedThreshold> All { get; }

    /// <summary>The configured thresholds alone.</summary>
    public static AppliedThresholds FromConfiguration(PolicyThresholds defaults) => new(defaults, null);

    /// <summary>The tenant's thresholds over <paramref name="policy"/>'s (the configured instance when the tenant sets none).</summary>
    public static AppliedThresholds For(CompiledPolicy policy, TenantPolicy tenant) =>
        tenant.Thresholds is { } own && (own.HasNeedsLlm || own.HasFaqScore || own.HasCascadeMinMeanLogprob)
            ? new AppliedThresholds(policy.Thresholds, tenant)
            : policy.ConfiguredThresholds;

    /// <summary>The value a rule's <c>$name</c> reference stands for, or null for an unknown name.</summary>
    public double? Resolve(string reference) => reference.ToLowerInvariant() switch
    {
        "$guard" => Guard,
        "$needs_llm" => NeedsLlm,
        "$faq_score" => FaqScore,
        "$mean_logprob" => MeanLogprob,
        _ => null,
    };

    /// <summary>Where <paramref name="reference"/>'s value came from.</summary>
    public string SourceOf(string reference) => All.FirstOrDefault(t => string.Equals($"${t.Name}", reference, StringComparison.OrdinalIgnoreCase))?.Source ?? "";
}
