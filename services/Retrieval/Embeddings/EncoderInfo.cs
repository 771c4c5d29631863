using HybridAI.Retrieval.Errors;

namespace HybridAI.Retrieval.Embeddings;

/// <summary>
/// The embedding model's name and size, learnt from slm-inference with one probe embedding and kept: a collection records
/// them when it is created, so vectors of another model are never mixed into it.
/// </summary>
public sealed class EncoderInfo(IEmbeddingClient client)
{
    private Known? _known;

    public async Task<(string Model, int Dimensions)> GetAsync(CancellationToken cancellationToken)
    {
        if (_known is { } known)
        {
            return (known.Model, known.Dimensions);
        }

        var probe = await client.EmbedAsync(["dimension probe"], cancellationToken);
        if (probe.Dimensions <= 0 || string.IsNullOrEmpty(probe.Model))
        {
            throw new DependencyUnavailableException("slm-inference answered an embedding without its model name or size.");
        }

        _known = new Known(probe.Model, probe.Dimensions);
        return (probe.Model, probe.Dimensions);
    }

    /// <summary>Records what a successful embedding call reported (saves the probe).</summary>
    public void Observe(Embeddings embeddings)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (_known is null && embeddings.Dimensions > 0 && !string.IsNullOrEmpty(embeddings.Model))
        {
            _known = new Known(embeddings.Model, embeddings.Dimensions);
        }
    }

    /// <summary>A reference, so concurrent callers replace it atomically.</summary>
    private sealed record Known(string Model, int Dimensions);
}
