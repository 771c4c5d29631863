using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Router;

/// <summary>Router settings (section <c>Router</c>).</summary>
public sealed class RouterOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Router";

    /// <summary>Deadline for a call to slm-inference (classification, embedding, a local answer).</summary>
    public TimeSpan SlmTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline for a whole LLM call through llm-proxy, streams included. LLM answers can take minutes.</summary>
    public TimeSpan LlmTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Deadline for control-plane calls to governance (authorisation, budgets, receipts).</summary>
    public TimeSpan GovernanceTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline for a retrieval search.</summary>
    public TimeSpan RetrievalTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The model used when a request names none.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DefaultModel { get; set; } = "hybrid-auto";

    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var (key, value) in new[]
        {
            (nameof(SlmTimeout), SlmTimeout), (nameof(LlmTimeout), LlmTimeout),
            (nameof(GovernanceTimeout), GovernanceTimeout), (nameof(RetrievalTimeout), RetrievalTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return (key, $"must be a positive duration (hh:mm:ss), but is {value}.");
            }
        }
    }
}
