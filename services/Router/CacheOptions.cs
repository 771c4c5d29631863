using System.ComponentModel.DataAnnotations;

namespace HybridAI.Router;

/// <summary>The response cache (section <c>Router:Cache</c>): Redis when configured, else in-process.</summary>
public sealed class CacheOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Match similar prompts by embedding (cosine of the last user message's embedding, in its partition).</summary>
    public bool Semantic { get; set; } = true;

    /// <summary>Cosine similarity at or above which a cached answer serves a similar prompt.</summary>
    [Range(0.5, 1.0)]
    public double SimilarityThreshold { get; set; } = 0.95;

    /// <summary>How long an SLM-tier answer (FAQ, local generator) is kept.</summary>
    public TimeSpan SlmTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an LLM-tier answer is kept.</summary>
    public TimeSpan LlmTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest answer stored, in characters.</summary>
    [Range(1, 10_000_000)]
    public int MaxAnswerChars { get; set; } = 32_768;

    /// <summary>In-process cache (no Redis): entries kept in all, the oldest going first.</summary>
    [Range(1, 10_000_000)]
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>Redis: candidates kept per similarity bucket (newest win).</summary>
    [Range(1, 10_000)]
    public int MaxCandidatesPerBucket { get; set; } = 64;

    internal IEnumerable<(string Key, string Message)> Validate()
    {
        if (SlmTtl <= TimeSpan.Zero)
        {
            yield return (nameof(SlmTtl), $"must be a positive duration, but is {SlmTtl}.");
        }

        if (LlmTtl <= TimeSpan.Zero)
        {
            yield return (nameof(LlmTtl), $"must be a positive duration, but is {LlmTtl}.");
        }
    }
}
