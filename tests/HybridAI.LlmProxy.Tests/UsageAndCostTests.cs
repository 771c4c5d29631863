using HybridAI.LlmProxy.Catalogue;
using HybridAI.Testing.Upstreams;
using HybridAI.Tokens;

namespace HybridAI.LlmProxy.Tests;

/// <summary>Usage from the provider, or counted and marked estimated; cost in integer micro-dollars.</summary>
public sealed class UsageAndCostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutProviderUsageTokensAreCountedAndMarkedEstimated(bool stream)
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Respond(UpstreamReply.WithText("The quick brown fox jumps over the lazy dog.").WithoutUsage());
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "a", upstream, upstreamModel: "gpt-4o"));
        var request = ProxyHost.Request("a");
        var tokens = new TokenCounter();
        var expectedPrompt = tokens.CountPrompt("o200k_base", request.Messages, []);

        var usage = stream
            ? (await proxy.StreamAsync(request, Ct)).Done!.Usage
            : (await proxy.Client.CompleteAsync(request, cancellationToken: Ct)).Usage;

        Assert.True(usage.Estimated);
        Assert.Equal(expectedPrompt, usage.PromptTokens);
        Assert.Equal(tokens.Count("o200k_base", "The quick brown fox jumps over the lazy dog."), usage.CompletionTokens);
        Assert.Equal(10, usage.CompletionTokens);
    }

    [Fact]
    public void PricesConvertFromUsdPerMillionToMicros()
    {
        var prices = ModelPrices.FromUsd(2.50m, 1.25m, 10m);

        Assert.Equal(new ModelPrices(2_500_000, 1_250_000, 10_000_000), prices);
        Assert.Equal(new ModelPrices(150_000, 75_000, 600_000), ModelPrices.FromUsd(0.15m, 0.075m, 0.60m));
        Assert.Equal(new ModelPrices(1, 0, 0), ModelPrices.FromUsd(0.0000005m, 0.0000004m, 0m));
    }

    [Theory]
    [InlineData(1_000_000, 0, 0, 2_500_000)]
    [InlineData(1_000, 400, 100, 3_000)]
    [InlineData(1, 0, 0, 3)]
    [InlineData(1, 0, 1, 13)]
    [InlineData(0, 0, 0, 0)]
    [InlineData(100, 500, 0, 125)]
    public void CostIsExactAndRoundedOnce(long prompt, long cached, long completion, long expectedMicros)
    {
        var prices = ModelPrices.FromUsd(2.50m, 1.25m, 10m);

        Assert.Equal(expectedMicros, prices.Cost(prompt, cached, completion));
    }

    [Fact]
    public void CostOfManyCallsSumsWithoutDrift()
    {
        var prices = ModelPrices.FromUsd(0.15m, 0.075m, 0.60m);

        var total = Enumerable.Range(0, 1_000_000).Sum(_ => prices.Cost(1_000, 0, 1_000));

        Assert.Equal(750L * 1_000_000, total);
    }
}
