namespace HybridAI.Retrieval.Embeddings;

/// <summary>Texts embedded by one model: one L2-normalised vector per text, in order.</summary>
public sealed record Embeddings(string Model, int Dimensions, float[][] Vectors);

/// <summary>
/// Embeds texts. In the service this is slm-inference over gRPC (<see cref="GrpcEmbeddingClient"/>, batched); the
/// interface exists so benchmarks can measure retrieval against the same encoder in-process.
/// </summary>
public interface IEmbeddingClient
{
    /// <summary>Embeds <paramref name="texts"/>; <see cref="Errors.DependencyUnavailableException"/> when the encoder cannot be reached.</summary>
    Task<Embeddings> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
