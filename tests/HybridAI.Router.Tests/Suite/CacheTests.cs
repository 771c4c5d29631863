namespace HybridAI.Router.Tests.Suite;

/// <summary>The response cache in Redis: exact and similar prompts, partitioned by tenant, never above internal data.</summary>
public sealed class CacheTests(HybridSuite suite)
{
    [Fact]
    public async Task RepeatedPromptIsServedFromTheCacheWithoutASecondUpstreamCall()
    {
        using var http = suite.RouterClient(HybridSuite.TenantA);
        var prompt = $"{Routed.Marker()} Compare event sourcing with CRUD for an order service, with trade-offs.";

        var first = await Routed.PostAsync(http, prompt);
        var second = await Routed.PostAsync(http, prompt);

        Assert.Equal("llm", first.Route);
        Assert.Equal("cache", second.Route);
        Assert.True(second.Decision.GetProperty("cache_hit").GetBoolean());
        Assert.Equal(first.Content, second.Content);
        Assert.Equal("0", second.Header("x-hybridai-cost-usd"));
        Assert.Equal(1, suite.Primary.Requests.Count(r => r.Body.Contains(prompt[..30], StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SimilarPromptIsServedFromTheCache()
    {
        using var http = suite.RouterClient(HybridSuite.TenantA);
        var marker = Routed.Marker();

        var first = await Routed.PostAsync(http, $"{marker} What are the main differences between TCP and UDP for a video streaming service?");
        var similar = await Routed.PostAsync(http, $"{marker} what are the main differences between TCP and UDP for a video-streaming service");

        Assert.Equal("llm", first.Route);
        Assert.Equal("cache", similar.Route);
        Assert.Single(suite.Primary.Requests, r => r.Body.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoTenantsWithTheSamePromptNeverShareAnEntry()
    {
        using var a = suite.RouterClient(HybridSuite.TenantA);
        using var b = suite.RouterClient(HybridSuite.TenantB);
        var prompt = $"{Routed.Marker()} Summarise the pros and cons of a four-day work week for a 200-person company.";

        var fromA = await Routed.PostAsync(a, prompt);
        var againFromA = await Routed.PostAsync(a, prompt);
        var fromB = await Routed.PostAsync(b, prompt);

        Assert.Equal("llm", fromA.Route);
        Assert.Equal("cache", againFromA.Route);
        Assert.Equal("llm", fromB.Route);
        Assert.False(fromB.Decision.GetProperty("cache_hit").GetBoolean());
        Assert.Equal(2, suite.Primary.Requests.Count(r => r.Body.Contains(prompt[..30], StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnswersAboutRestrictedDataAreNeverCached()
    {
        using var http = suite.RouterClient(HybridSuite.TenantA);
        var marker = Routed.Marker();
        var prompt = $"{marker} My card 5555 5555 5555 4444 was charged twice; draft a dispute letter to the bank.";

        var first = await Routed.PostAsync(http, prompt);
        var second = await Routed.PostAsync(http, prompt);

        Assert.Equal("restricted", first.DataClass);
        Assert.Equal("llm", first.Route);
        Assert.Equal("llm", second.Route);
        Assert.Equal(2, suite.Primary.Requests.Count(r => r.Body.Contains(marker, StringComparison.Ordinal)));
    }
}
