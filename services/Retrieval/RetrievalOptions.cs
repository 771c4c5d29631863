using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Retrieval;

/// <summary>Where vectors live.</summary>
public enum VectorStoreKind
{
    /// <summary>The in-process store persisted under <see cref="RetrievalOptions.DataPath"/> (local mode, single node).</summary>
    Embedded,

    /// <summary>A Qdrant server (containers mode, Kubernetes).</summary>
    Qdrant,
}

/// <summary>retrieval settings (section <c>Retrieval</c>).</summary>
public sealed class RetrievalOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Retrieval";

    public VectorStoreKind VectorStore { get; set; } = VectorStoreKind.Embedded;

    /// <summary>Folder of the embedded store (empty: <c>.data/retrieval</c> under the working directory).</summary>
    public string DataPath { get; set; } = "";

    public QdrantOptions Qdrant { get; set; } = new();

    /// <summary>Load the shipped sample knowledge base into the dev tenant at start (local mode).</summary>
    public bool LoadSampleKnowledgeBase { get; set; }

    public string ResolvedDataPath => Path.GetFullPath(string.IsNullOrWhiteSpace(DataPath) ? Path.Combine(".data", "retrieval") : DataPath);

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (VectorStore == VectorStoreKind.Qdrant)
        {
            if (Qdrant.Endpoint is null)
            {
                yield return ($"{nameof(Qdrant)}:{nameof(QdrantOptions.Endpoint)}", "is required when VectorStore is Qdrant.");
            }
            else if (!Qdrant.Endpoint.IsAbsoluteUri || (Qdrant.Endpoint.Scheme != Uri.UriSchemeHttp && Qdrant.Endpoint.Scheme != Uri.UriSchemeHttps))
            {
                yield return ($"{nameof(Qdrant)}:{nameof(QdrantOptions.Endpoint)}", $"must be an absolute http(s) URL of Qdrant's gRPC port, but is '{Qdrant.Endpoint}'.");
            }
        }
    }
}

/// <summary>Qdrant connection (gRPC port, 6334 by default).</summary>
public sealed class QdrantOptions
{
    public Uri? Endpoint { get; set; }

    public string ApiKey { get; set; } = "";
}
