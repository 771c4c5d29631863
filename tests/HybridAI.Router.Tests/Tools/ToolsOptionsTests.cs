using HybridAI.Router.Tools;
using HybridAI.Testing;

namespace HybridAI.Router.Tests.Tools;

public sealed class ToolsOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>(RouterServiceTests.Settings)
        {
            ["Router:Tools:MaxSteps"] = "0",
            ["Router:Tools:MaxResultChars"] = "10",
            ["Router:Tools:CallTimeout"] = "00:00:00",
            ["Router:Tools:ConnectTimeout"] = "01:00:00",
            ["Router:Tools:StdioCommands:0"] = "order-tool",
        };

        ServiceStartup.AssertRefusesToStart<ToolsOptions>(settings, "Router:Tools:MaxSteps", "Router:Tools:MaxResultChars",
            "Router:Tools:CallTimeout", "Router:Tools:ConnectTimeout", "Router:Tools:StdioCommands:0");
    }
}
