namespace HybridAI.LlmProxy.Catalogue;

/// <summary>Prices in integer micro-dollars per million tokens ($2.50 / 1M tokens = 2,500,000).</summary>
public readonly record struct ModelPrices(long InputPerMTokMicros, long CachedInputPerMTokMicros, long OutputPerMTokMicros)
{
    private const long MicrosPerDollar = 1_000_000;
    private const long TokensPerMillion = 1_000_000;

    /// <summary>Converts configured USD-per-million prices, rounding to the nearest micro-dollar.</summary>
    public static ModelPrices FromUsd(decimal input, decimal cachedInput, decimal output) =>
        new(ToMicros(input), ToMicros(cachedInput), ToMicros(output));

    /// <summary>
    /// The cost of a call in micro-dollars. <paramref name="promptTokens"/> includes the cached ones, which are
    /// charged at the cached price. The sum is exact and rounded once, half away from zero.
    /// </summary>
    public long Cost(long promptTokens, long cachedPromptTokens, long completionTokens)
    {
        var cached = Math.Clamp(cachedPromptTokens, 0, Math.Max(promptTokens, 0));
        var uncached = Math.Max(promptTokens, 0) - cached;
        var numerator = ((Int128)uncached * InputPerMTokMicros)
            + ((Int128)cached * CachedInputPerMTokMicros)
            + ((Int128)Math.Max(completionTokens, 0) * OutputPerMTokMicros);
        return (long)((numerator + (TokensPerMillion / 2)) / TokensPerMillion);
    }

    private static long ToMicros(decimal usdPerMTok) =>
        (long)decimal.Round(usdPerMTok * MicrosPerDollar, MidpointRounding.AwayFromZero);
}
