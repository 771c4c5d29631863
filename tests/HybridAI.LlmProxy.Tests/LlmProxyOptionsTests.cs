using HybridAI.Testing;

namespace HybridAI.LlmProxy.Tests;

public sealed class LlmProxyOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>(LlmProxyServiceTests.Settings)
        {
            ["LlmProxy:Models:0:Id"] = "a",
            ["LlmProxy:Models:0:Provider"] = "nope",
            ["LlmProxy:Models:0:UpstreamModel"] = "m",
            ["LlmProxy:Models:0:ApiKeyRef"] = "missing",
            ["LlmProxy:Models:1:Id"] = "a",
            ["LlmProxy:Models:1:UpstreamModel"] = "m",
            ["LlmProxy:Models:1:Endpoint"] = "ftp://x",
        };

        ServiceStartup.AssertRefusesToStart<LlmProxyOptions>(settings, "LlmProxy:Models:0:Provider", "LlmProxy:Models:0:ApiKeyRef", "LlmProxy:Models:1:Id", "LlmProxy:Models:1:Endpoint");
    }
}
