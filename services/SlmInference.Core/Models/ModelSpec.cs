namespace HybridAI.SlmInference.Core.Models;

/// <summary>What a registry entry is.</summary>
public enum ModelKind
{
    /// <summary>A BERT-family sentence encoder folder (<c>model.onnx</c> + <c>vocab.txt</c> or <c>tokenizer.json</c>).</summary>
    Encoder,

    /// <summary>A classification head file (<c>*.head.json</c>) over a registered encoder.</summary>
    Head,

    /// <summary>A decoder-only generator folder as Hugging Face Optimum exports it.</summary>
    Generator,
}

/// <summary>One model to load: its API name, kind and location.</summary>
/// <param name="Name">The name callers use (<c>EmbedRequest.model</c>, <c>ClassifyRequest.heads</c>, <c>GenerateRequest.model</c>).</param>
/// <param name="Kind">Encoder, head or generator.</param>
/// <param name="Path">Folder (encoders, generators) or file (heads).</param>
/// <param name="MaxSequenceLength">Encoders: the truncation window; 0 reads it from the folder (sentence_bert_config.json, config.json).</param>
public sealed record ModelSpec(string Name, ModelKind Kind, string Path, int MaxSequenceLength = 0);
