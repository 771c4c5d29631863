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

    [Fact]
    public void RefusesBadModelLimitsPricesTokenizersAndKeys()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LlmProxy:Models:0:Id"] = "gpt",
            ["LlmProxy:Models:0:Provider"] = "openai",
            ["LlmProxy:Models:0:UpstreamModel"] = "gpt-4o",
            ["LlmProxy:Models:0:MaxOutputTokens"] = "9000",
            ["LlmProxy:Models:0:ContextWindow"] = "8000",
            ["LlmProxy:Models:0:InputPricePerMTok"] = "-1",
            ["LlmProxy:Models:0:Tokenizer"] = "p50k_base",
            ["LlmProxy:Models:1:Id"] = "azure",
            ["LlmProxy:Models:1:Provider"] = "azure-openai",
            ["LlmProxy:Models:1:UpstreamModel"] = "deployment",
            ["LlmProxy:ApiKeys:empty"] = " ",
        };

        ServiceStartup.AssertRefusesToStart<LlmProxyOptions>(settings,
            "LlmProxy:Models:0:MaxOutputTokens", "LlmProxy:Models:0:InputPricePerMTok", "LlmProxy:Models:0:Tokenizer",
            "LlmProxy:Models:0:ApiKeyRef", "LlmProxy:Models:1:Endpoint", "LlmProxy:Models:1:ApiKeyRef", "LlmProxy:ApiKeys:empty");
    }

    [Fact]
    public void RefusesBadResilienceSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LlmProxy:Resilience:FirstTokenTimeout"] = "00:10:00",
            ["LlmProxy:Resilience:TotalTimeout"] = "00:01:00",
            ["LlmProxy:Resilience:MaxRetries"] = "50",
            ["LlmProxy:Resilience:RetryBaseDelay"] = "00:00:02",
            ["LlmProxy:Resilience:RetryMaxDelay"] = "00:00:01",
            ["LlmProxy:Resilience:CircuitBreaker:FailureRatio"] = "0",
            ["LlmProxy:Resilience:CircuitBreaker:MinimumThroughput"] = "1",
            ["LlmProxy:Resilience:CircuitBreaker:BreakDuration"] = "00:00:00.1",
            ["LlmProxy:MaxResponseBytes"] = "10",
        };

        ServiceStartup.AssertRefusesToStart<LlmProxyOptions>(settings,
            "LlmProxy:Resilience:FirstTokenTimeout", "LlmProxy:Resilience:MaxRetries", "LlmProxy:Resilience:RetryMaxDelay",
            "LlmProxy:Resilience:CircuitBreaker:FailureRatio", "LlmProxy:Resilience:CircuitBreaker:MinimumThroughput",
            "LlmProxy:Resilience:CircuitBreaker:BreakDuration", "LlmProxy:MaxResponseBytes");
    }

    [Fact]
    public void RefusesADefaultKeyWithoutAnEndpoint()
    {
        var settings = new Dictionary<string, string?> { ["LlmProxy:Default:ApiKey"] = "k" };

        ServiceStartup.AssertRefusesToStart<LlmProxyOptions>(settings, "LlmProxy:Default:Endpoint");
    }

    [Fact]
    public void RefusesAModelThatTakesTheDefaultsId()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LlmProxy:Default:Endpoint"] = "http://127.0.0.1:11434/v1",
            ["LlmProxy:Models:0:Id"] = "default",
            ["LlmProxy:Models:0:UpstreamModel"] = "m",
            ["LlmProxy:Models:0:Endpoint"] = "http://127.0.0.1:8000/v1",
        };

        ServiceStartup.AssertRefusesToStart<LlmProxyOptions>(settings, "LlmProxy:Models:0:Id");
    }
}
