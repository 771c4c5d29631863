namespace HybridAI.Router.Catalogue;

/// <summary>The router's own model names: the policy chooses (auto), or the caller pins a tier.</summary>
public static class VirtualModels
{
    /// <summary>The policy decides the tier (the default).</summary>
    public const string Auto = "hybrid-auto";

    /// <summary>The SLM tier only: an FAQ answer or the local generator, never escalated.</summary>
    public const string Slm = "hybrid-slm";

    /// <summary>The LLM tier (the tenant's allowed targets as the fallback chain).</summary>
    public const string Llm = "hybrid-llm";

    public static IReadOnlyList<(string Id, string Description)> All { get; } =
    [
        (Auto, "The routing policy picks the tier: FAQ answers and simple requests on the SLM tier, the rest on the LLM tier."),
        (Slm, "The SLM tier only: a knowledge-base answer or the local generator."),
        (Llm, "The LLM tier: the tenant's allowed external models, in fallback order."),
    ];

    public static bool IsVirtual(string model) => model is Auto or Slm or Llm;

    public static bool IsSlmChoice(string model) => model == Slm;

    /// <summary>The caller chose the LLM tier: <c>hybrid-llm</c> or a catalogue id.</summary>
    public static bool IsLlmChoice(string model) => model == Llm || !IsVirtual(model);
}
