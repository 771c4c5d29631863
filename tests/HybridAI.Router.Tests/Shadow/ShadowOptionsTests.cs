using HybridAI.Testing;

namespace HybridAI.Router.Tests.Shadow;

public sealed class ShadowOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadShadowKey()
    {
        var settings = new Dictionary<string, string?>(RouterServiceTests.Settings)
        {
            ["Router:Shadow:SampleRate"] = "1.5",
            ["Router:Shadow:QueueCapacity"] = "0",
            ["Router:Shadow:ResultRetryDelay"] = "00:00:00",
            ["Router:Shadow:Tenants:acme:SampleRate"] = "-0.1",
            ["Router:Shadow:Tenants:acme:DailyBudgetMicros"] = "-5",
        };

        ServiceStartup.AssertRefusesToStart<RouterOptions>(settings,
            "Router:Shadow:SampleRate", "Router:Shadow:QueueCapacity", "Router:Shadow:ResultRetryDelay",
            "Router:Shadow:Tenants:acme:SampleRate", "Router:Shadow:Tenants:acme:DailyBudgetMicros");
    }
}
