using HybridAI.Contracts.Llm.V1;

namespace HybridAI.Router.Execution;

/// <summary>The LLM tier's ordered fallback chain for one request, as llm-proxy receives it.</summary>
public sealed class TargetChain
{
    public static TargetChain Empty { get; } = new([], "");

    public TargetChain(IReadOnlyList<CatalogueModel> targets, string modelHint)
    {
        Targets = targets;
        ModelHint = modelHint;
    }

    public IReadOnlyList<CatalogueModel> Targets { get; }

    /// <summary>A catalogue id the caller asked for (tried first), or empty.</summary>
    public string ModelHint { get; }

    public bool IsEmpty => Targets.Count == 0;

    /// <summary>Some target runs outside the operator's infrastructure (data leaving needs redaction or is refused).</summary>
    public bool HasExternal => Targets.Any(t => !t.Local);

    public IEnumerable<string> Ids => Targets.Select(t => t.Id);

    /// <summary>The worst case over the chain: whichever target serves, the reservation covers it.</summary>
    public long WorstCaseMicros(int promptTokens, int? maxTokens) =>
        Targets.Count == 0 ? 0 : Targets.Max(t => Pricing.WorstCaseMicros(t, promptTokens, maxTokens));
}
