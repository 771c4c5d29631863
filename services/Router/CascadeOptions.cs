using System.ComponentModel.DataAnnotations;

namespace HybridAI.Router;

/// <summary>When an SLM answer is escalated to the LLM tier (section <c>Router:Cascade</c>; thresholds are in the policy).</summary>
public sealed class CascadeOptions
{
    /// <summary>
    /// Streaming: tokens of a local answer held back before anything is sent, so an escalation stays invisible to the
    /// client. An answer that ends sooner is judged whole.
    /// </summary>
    [Range(1, 1024)]
    public int StreamBufferTokens { get; set; } = 16;

    /// <summary>An answer starting with one of these (case-insensitive, after leading whitespace) is a refusal.</summary>
    public List<string>? RefusalPrefixes { get; set; }

    /// <summary>The configured prefixes, or the defaults (configuration binding appends to initialised lists).</summary>
    public IReadOnlyList<string> ResolvedRefusalPrefixes => RefusalPrefixes ?? DefaultRefusalPrefixes;

    public static IReadOnlyList<string> DefaultRefusalPrefixes { get; } =
    [
        "I'm sorry", "I am sorry", "Sorry,", "I cannot", "I can't", "I can not", "As an AI", "I don't know", "I do not know",
        "I'm not able", "I am not able", "I'm unable", "I am unable",
    ];
}
