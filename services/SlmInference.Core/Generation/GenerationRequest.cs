namespace HybridAI.SlmInference.Core.Generation;

/// <summary>What to generate from a prompt that is already tokenised.</summary>
public sealed record GenerationRequest
{
    public required IReadOnlyList<int> PromptIds { get; init; }

    /// <summary>Most tokens to generate; generation also stops at the model's context window.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>0 (or less) is greedy decoding; otherwise logits are divided by it before sampling.</summary>
    public double Temperature { get; init; }

    /// <summary>Nucleus sampling: sample from the smallest set of tokens whose probability reaches it (1 = all).</summary>
    public double TopP { get; init; } = 1;

    /// <summary>Seed of the sampler; the same seed, prompt and settings give the same tokens.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Generation ends before the first occurrence of any of these strings, which are not returned.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>
    /// Decode with the KV cache (one new token per step). <see langword="false"/> re-runs the whole sequence each step;
    /// it gives the same tokens, much slower, and exists to verify the cache.
    /// </summary>
    public bool UseKvCache { get; init; } = true;
}

/// <summary>Why generation ended.</summary>
public static class FinishReasons
{
    /// <summary>A stop sequence was produced.</summary>
    public const string Stop = "stop";

    /// <summary>MaxTokens or the context window was reached.</summary>
    public const string Length = "length";

    /// <summary>The model produced an end-of-sequence token.</summary>
    public const string EndOfSequence = "eos";
}

/// <summary>One event of a generation: a token, or the end.</summary>
public abstract record GenerationEvent;

/// <summary>A generated token with the text it adds and its natural log-probability under the unmodified distribution.</summary>
/// <param name="TokenId">The token's id in the model's vocabulary.</param>
/// <param name="Text">May be empty while a multi-byte character is incomplete, or shortened where a stop sequence begins.</param>
/// <param name="LogProbability">Natural log-probability of the token under the model's unmodified distribution.</param>
public sealed record GeneratedToken(int TokenId, string Text, float LogProbability) : GenerationEvent;

/// <summary>The end of a generation.</summary>
/// <param name="FinishReason">One of <see cref="FinishReasons"/>.</param>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="CompletionTokens">Tokens the model generated, including a final end-of-sequence or stop token.</param>
/// <param name="MeanLogProbability">Mean log-probability of the tokens streamed (0 when none were).</param>
public sealed record GenerationFinished(string FinishReason, int PromptTokens, int CompletionTokens, double MeanLogProbability) : GenerationEvent;
