using System.ComponentModel.DataAnnotations;

namespace HybridAI.Router;

/// <summary>The SLM tier (section <c>Router:Slm</c>).</summary>
public sealed class SlmOptions
{
    /// <summary>The tenant's FAQ collections in retrieval, asked in order; the best match answers.</summary>
    public List<string>? FaqCollections { get; set; }

    /// <summary>The configured FAQ collections, or <c>faq</c> (configuration binding appends to initialised lists, so the default lives here).</summary>
    public IReadOnlyList<string> ResolvedFaqCollections => FaqCollections is { Count: > 0 } c ? c : ["faq"];

    /// <summary>
    /// Appended to an FAQ answer so it cites its source; <c>{question}</c>, <c>{id}</c> and <c>{collection}</c> are
    /// replaced. Empty: the citation is only in the response's <c>hybridai.citations</c>.
    /// </summary>
    public string FaqSourceLine { get; set; } = "\n\nSource: FAQ \"{question}\"";

    /// <summary>
    /// The slm-inference generator for local answers. Empty: its default generator when it has one; <c>none</c>:
    /// no local generation.
    /// </summary>
    public string Generator { get; set; } = "";

    /// <summary>Upper bound on tokens a local answer may generate.</summary>
    [Range(1, 32_768)]
    public int GeneratorMaxTokens { get; set; } = 512;

    /// <summary>The name reported for the local tier in responses, catalogues and tenant policies.</summary>
    public const string TargetName = "slm";
}
