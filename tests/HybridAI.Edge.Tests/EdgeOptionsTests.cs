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
            ["Edge:AdminApiKey"] = "short",
            ["Edge:Limits:MaxRequestHeaderCount"] = "0",
            ["Edge:Limits:MinRequestBodyGracePeriod"] = "00:00:00.500",
            ["Edge:Limits:RequestHeadersTimeout"] = "00:00:00",
        };

        ServiceStartup.AssertRefusesToStart<EdgeOptions>(settings, "Edge:MaxRequestBodyBytes", "Edge:AllowedCorsOrigins:0",
            "Edge:AdminApiKey", "Edge:Limits:MaxRequestHeaderCount", "Edge:Limits:MinRequestBodyGracePeriod", "Edge:Limits:RequestHeadersTimeout");
    }
}
