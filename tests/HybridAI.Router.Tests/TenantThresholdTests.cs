using HybridAI.Contracts.Governance.V1;
using HybridAI.Router.Policy;
using HybridAI.Router.Signals;

namespace HybridAI.Router.Tests;

public sealed class TenantThresholdTests
{
    private static readonly CompiledPolicy Policy = PolicyCompiler.Compile(new PolicyOptions());

    [Fact]
    public void TenantThresholdsApplyOverTheConfiguredOnesAndNameTheirSource()
    {
        var tenant = new TenantPolicy { TenantId = "acme", Version = 7, Thresholds = new RoutingThresholds { NeedsLlm = 0.12 } };

        var applied = AppliedThresholds.For(Policy, tenant);

        Assert.Equal((0.12, 0.7, -1.2), (applied.NeedsLlm, applied.FaqScore, applied.MeanLogprob));
        Assert.Equal("tenant policy v7", applied.All.Single(t => t.Name == "needs_llm").Source);
        Assert.Equal(AppliedThresholds.ConfigurationSource, applied.All.Single(t => t.Name == "faq_score").Source);
    }

    [Fact]
    public void ATenantWithoutThresholdsSharesTheConfiguredInstance()
    {
        Assert.Same(Policy.ConfiguredThresholds, AppliedThresholds.For(Policy, new TenantPolicy { TenantId = "acme", Version = 3 }));
        Assert.Same(Policy.ConfiguredThresholds, AppliedThresholds.For(Policy, new TenantPolicy { TenantId = "acme", Thresholds = new RoutingThresholds() }));
    }

    [Fact]
    public async Task ARuleReferringToAThresholdReadsTheTenantsValue()
    {
        var rule = Policy.Rules.Single(r => r.Name == "local-generator");
        var condition = rule.Conditions.Single(c => c.Signal == "needs_llm");
        var tenant = new TenantPolicy { TenantId = "acme", Version = 2, Thresholds = new RoutingThresholds { NeedsLlm = 0.1 } };

        var configured = await condition.EvaluateAsync(Input(0.2, tenant, thresholds: null), TestContext.Current.CancellationToken);
        var calibrated = await condition.EvaluateAsync(Input(0.2, tenant, AppliedThresholds.For(Policy, tenant)), TestContext.Current.CancellationToken);

        Assert.True(configured.Holds, configured.Explanation);
        Assert.False(calibrated.Holds, calibrated.Explanation);
        Assert.Equal("needs_llm 0.2 < 0.1", calibrated.Explanation);
    }

    private static PolicyInput Input(double needsLlm, TenantPolicy tenant, AppliedThresholds? thresholds) => new()
    {
        Signals = new RequestSignals { NeedsLlm = needsLlm },
        Tenant = tenant,
        Model = "hybrid-auto",
        GeneratorAvailable = true,
        SlmAllowed = true,
        HasTools = false,
        Thresholds = thresholds,
    };
}
