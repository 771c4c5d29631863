using HybridAI.Testing;

namespace HybridAI.Edge.Tests;

public sealed class EdgeOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>(EdgeServiceTests.Settings)
        {
            ["Edge:MaxRequestBodyBytes"] = "10",
            ["Edge:AllowedCorsOrigins:0"] = "not a url",
        };

        ServiceStartup.AssertRefusesToStart<EdgeOptions>(settings, "Edge:MaxRequestBodyBytes", "Edge:AllowedCorsOrigins:0");
    }
}
