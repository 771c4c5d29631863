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
            ["Governance:Durability"] = "Sometimes",
            ["Governance:Targets:Known:0:Id"] = "gpt-4o",
            ["Governance:Targets:Known:1:Id"] = "gpt-4o",
            ["Governance:Targets:LlmProxyAddress"] = "ftp://llm-proxy",
            ["Governance:Tools:StdioCommands:0"] = "order-tool",
        };

        ServiceStartup.AssertRefusesToStart<GovernanceOptions>(settings, "Governance:AdminApiKey", "Governance:DevApiKey",
            "Governance:KeyCacheSeconds", "Governance:Durability", "Governance:Targets:Known:1:Id", "Governance:Targets:LlmProxyAddress",
            "Governance:Tools:StdioCommands:0");
    }
}
