using HybridAI.Testing;

namespace HybridAI.Governance.Tests;

public sealed class GovernanceOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>(GovernanceServiceTests.Settings)
        {
            ["Governance:AdminApiKey"] = "",
            ["Governance:DevApiKey"] = "short",
            ["Governance:KeyCacheSeconds"] = "0",
        };

        ServiceStartup.AssertRefusesToStart<GovernanceOptions>(settings, "Governance:AdminApiKey", "Governance:DevApiKey", "Governance:KeyCacheSeconds");
    }
}
