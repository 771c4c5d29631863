using HybridAI.Tokens;

namespace HybridAI.LlmProxy.Tokens;

/// <summary>Which tiktoken encoding counts a catalogue model's tokens when its configuration names none.</summary>
public static class EncodingDefaults
{
    /// <summary>
    /// o200k for current OpenAI model families (also when an OpenAI-compatible server or Azure deployment serves them),
    /// cl100k for GPT-4 and GPT-3.5 and as the closest estimate for other providers' models.
    /// </summary>
    public static string For(string provider, string upstreamModel)
    {
        var m = upstreamModel.ToLowerInvariant();
        if (m.StartsWith("gpt-4-", StringComparison.Ordinal) || m == "gpt-4" || m.StartsWith("gpt-3.5", StringComparison.Ordinal))
        {
            return TokenCounter.Cl100k;
        }

        string[] o200kFamilies = ["gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "chatgpt-4o", "o1", "o3", "o4", "gpt-oss"];
        if (o200kFamilies.Any(f => m.StartsWith(f, StringComparison.Ordinal)))
        {
            return TokenCounter.O200k;
        }

        return provider is ProviderNames.OpenAI or ProviderNames.AzureOpenAI ? TokenCounter.O200k : TokenCounter.Cl100k;
    }
}
