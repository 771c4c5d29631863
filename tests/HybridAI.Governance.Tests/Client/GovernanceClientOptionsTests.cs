using HybridAI.Governance.Client;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Governance.Tests.Client;

public sealed class GovernanceClientOptionsTests
{
    [Fact]
    public void NamesEveryBadKeyInOneMessage()
    {
        var options = new GovernanceClientOptions
        {
            BatchSize = 5000,
            InitialRetryDelay = TimeSpan.Zero,
            MaxRetryDelay = TimeSpan.FromSeconds(-1),
            CallTimeout = TimeSpan.Zero,
            MaxKeyCacheSeconds = 999,
        };

        var result = new ServiceOptionsValidator<GovernanceClientOptions>().Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "BatchSize", "InitialRetryDelay", "MaxRetryDelay", "CallTimeout", "MaxKeyCacheSeconds" })
        {
            Assert.Contains($"GovernanceClient:{key}", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheDefaultsAreValid() =>
        Assert.True(new ServiceOptionsValidator<GovernanceClientOptions>().Validate(null, new GovernanceClientOptions()).Succeeded);
}
