using HybridAI.Testing;

namespace HybridAI.Router.Tests;

public sealed class RouterOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>(RouterServiceTests.Settings)
        {
            ["Router:SlmTimeout"] = "-00:00:01",
            ["Router:LlmTimeout"] = "00:00:00",
            ["Router:DefaultModel"] = "",
        };

        ServiceStartup.AssertRefusesToStart<RouterOptions>(settings, "Router:SlmTimeout", "Router:LlmTimeout", "Router:DefaultModel");
    }
}
