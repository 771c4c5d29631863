using HybridAI.Router.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Tests;

/// <summary><c>Router:Policy</c> follows configuration changes; a change with problems is refused and the last good policy serves.</summary>
public sealed class PolicyReloadTests
{
    [Fact]
    public void AValidChangeTakesEffectAndABadOneLeavesTheLastGoodPolicyInForce()
    {
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = [] };
        var configuration = new ConfigurationBuilder().Add(source).Build();
        var memory = configuration.Providers.OfType<Microsoft.Extensions.Configuration.Memory.MemoryConfigurationProvider>().Single();
        using var services = new ServiceCollection().Configure<PolicyOptions>(configuration.GetSection("Router:Policy")).BuildServiceProvider();
        using var provider = new PolicyProvider(services.GetRequiredService<IOptionsMonitor<PolicyOptions>>(), NullLogger<PolicyProvider>.Instance);
        var changes = 0;
        provider.Changed += _ => changes++;
        Assert.True(provider.Current.IsDefault);

        memory.Set("Router:Policy:Rules:0:Name", "everything-to-llm");
        memory.Set("Router:Policy:Rules:0:Then:Route", "llm");
        configuration.Reload();

        Assert.False(provider.Current.IsDefault);
        Assert.Equal("everything-to-llm", Assert.Single(provider.Current.Rules).Name);

        memory.Set("Router:Policy:Rules:0:When:moon_phase", ">= full");
        configuration.Reload();

        Assert.Equal("everything-to-llm", Assert.Single(provider.Current.Rules).Name);
        Assert.Empty(provider.Current.Rules[0].Conditions);
        Assert.Equal(1, changes);
    }

    [Fact]
    public void EveryProblemOfARefusedPolicyIsNamed()
    {
        var problems = PolicyCompiler.Compile(new PolicyOptions
        {
            Rules =
            [
                new() { Name = "a", When = new() { ["guard_score"] = ">= $nonsense" }, Then = new() { Block = "x" } },
                new() { Name = "b", When = new() { ["moon_phase"] = "full" }, Then = new() { Route = "llm" } },
            ],
        }).Problems;

        Assert.Contains(problems, p => p.Message.Contains("$nonsense", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.Contains("moon_phase", StringComparison.Ordinal) || p.Key.Contains("moon_phase", StringComparison.Ordinal));
    }

    [Fact]
    public void PiiFoundIsAFlagOfPresentOrAbsent()
    {
        var good = PolicyCompiler.Compile(new PolicyOptions
        {
            Rules = [new() { Name = "a", When = new() { ["pii_found"] = "present", ["pii_mode"] = "redact" }, Then = new() { Redact = true, Continue = true } }],
        }).Problems;
        var bad = PolicyCompiler.Compile(new PolicyOptions
        {
            Rules = [new() { Name = "a", When = new() { ["pii_found"] = ">= 0.4" }, Then = new() { Redact = true, Continue = true } }],
        }).Problems;

        Assert.Empty(good);
        Assert.Contains(bad, p => p.Message.Contains("\"present\" or \"absent\"", StringComparison.Ordinal));
    }
}
