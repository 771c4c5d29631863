namespace HybridAI.Testing.Models;

/// <summary>How <see cref="TinyDecoder"/> builds its model.</summary>
public sealed record TinyDecoderOptions
{
    /// <summary>Seed of the random weights.</summary>
    public int Seed { get; init; } = 7;

    public int Hidden { get; init; } = 8;

    public int Layers { get; init; } = 2;

    /// <summary>max_position_embeddings: the model's context window.</summary>
    public int ContextWindow { get; init; } = 64;

    /// <summary>Weights are uniform in ±this.</summary>
    public float WeightScale { get; init; } = 0.5f;

    /// <summary>
    /// Forced next tokens: the logits at position <c>p</c> get <see cref="ScriptStrength"/> added for token
    /// <c>Script[p]</c>, so a test knows which token follows a prompt of a given length.
    /// </summary>
    public IReadOnlyDictionary<int, int> Script { get; init; } = new Dictionary<int, int>();

    public float ScriptStrength { get; init; } = 30;

    /// <summary>The KV cache inputs and outputs are float16 (cast to float inside), as fp16 exports have.</summary>
    public bool Float16Cache { get; init; }

    /// <summary>Write a ChatML chat template into tokenizer_config.json.</summary>
    public bool ChatTemplate { get; init; } = true;
}
