using System.Globalization;
using HybridAI.Testing.Upstreams;

namespace HybridAI.Testing.Services;

/// <summary>Configuration pieces in-process suites combine when they start services on loopback ports.</summary>
public static class ServiceSettings
{
    /// <summary>
    /// All <paramref name="parts"/> in one dictionary; a later part wins a key an earlier one set (keys compare as
    /// configuration does, ignoring case).
    /// </summary>
    public static Dictionary<string, string?> Merge(params Dictionary<string, string?>[] parts)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts)
        {
            foreach (var (key, value) in part)
            {
                all[key] = value;
            }
        }

        return all;
    }

    /// <summary>
    /// One llm-proxy catalogue entry (<c>LlmProxy:Models:&lt;index&gt;</c>) for an OpenAI-compatible in-test upstream; the
    /// upstream model name is <c>&lt;id&gt;-upstream</c>, cached input costs the input price.
    /// </summary>
    public static Dictionary<string, string?> LlmModel(int index, string id, LlmUpstream upstream, decimal inputPrice, decimal outputPrice, int maxOutputTokens = 4096)
    {
        ArgumentNullException.ThrowIfNull(upstream);
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

    /// <summary>Waits (bounded) until the service's <c>/health</c> answers Healthy, e.g. retrieval after loading its sample knowledge base.</summary>
    public static async Task WaitUntilHealthyAsync(Uri httpAddress, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = httpAddress };
        var deadline = DateTime.UtcNow + timeout;
        var status = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            status = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode && status.Contains("Healthy", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"{httpAddress} did not report Healthy within {timeout}: {status}");
    }
}
