using System.Globalization;
using HybridAI.Testing.Upstreams;

namespace HybridAI.Reliability.Tests.Harness;

/// <summary>Configuration pieces the scenarios combine.</summary>
public static class Settings
{
    public static Dictionary<string, string?> Merge(params Dictionary<string, string?>[] parts)
    {
        var all = new Dictionary<string, string?>();
        foreach (var part in parts)
        {
            foreach (var (k, v) in part)
            {
                all[k] = v;
            }
        }

        return all;
    }

    /// <summary>One llm-proxy catalogue entry pointing at an in-test upstream.</summary>
    public static Dictionary<string, string?> Model(int index, string id, LlmUpstream upstream, decimal inputPrice, decimal outputPrice, int maxOutputTokens = 4096)
    {
        var prefix = $"LlmProxy:Models:{index}:";
        return new()
        {
            [prefix + "Id"] = id,
            [prefix + "Provider"] = "openai-compatible",
            [prefix + "UpstreamModel"] = id + "-upstream",
            [prefix + "Endpoint"] = upstream.BaseAddress.ToString(),
            [prefix + "ContextWindow"] = "128000",
            [prefix + "MaxOutputTokens"] = maxOutputTokens.ToString(CultureInfo.InvariantCulture),
            [prefix + "InputPricePerMTok"] = inputPrice.ToString(CultureInfo.InvariantCulture),
            [prefix + "CachedInputPricePerMTok"] = inputPrice.ToString(CultureInfo.InvariantCulture),
            [prefix + "OutputPricePerMTok"] = outputPrice.ToString(CultureInfo.InvariantCulture),
        };
    }
}
