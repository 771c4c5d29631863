using System.ComponentModel.DataAnnotations;
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

    /// <summary>The tenant the sample knowledge base is loaded into.</summary>
    [Required]
    public string SampleTenant { get; set; } = "dev";

    /// <summary>The slm-inference encoder used for every embedding (empty: its default, all-MiniLM-L6-v2).</summary>
    public string EmbeddingModel { get; set; } = "";

    /// <summary>Texts per Embed call to slm-inference (it refuses more than its Inference:MaxTextsPerRequest, 256 by default).</summary>
    [Range(1, 256)]
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>Embed calls one ingestion keeps in flight; slm-inference batches them with other callers.</summary>
    [Range(1, 16)]
    public int EmbeddingConcurrency { get; set; } = 2;

    /// <summary>Deadline of one Embed call.</summary>
    public TimeSpan EmbeddingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public ChunkingOptions Chunking { get; set; } = new();

    public LimitsOptions Limits { get; set; } = new();

    public SearchOptions Search { get; set; } = new();

    public FaqOptions Faq { get; set; } = new();

    /// <summary>Label of documents and FAQ pairs stored without one: public, internal, confidential or restricted.</summary>
    public string DefaultLabel { get; set; } = "internal";

    /// <summary><see cref="DefaultLabel"/> as a data class (validated at start).</summary>
    public Contracts.Common.V1.DataClass ResolvedDefaultLabel =>
        Labels.SensitivityLabels.TryParse(DefaultLabel, out var label) ? label : Contracts.Common.V1.DataClass.Internal;

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

        if (Chunking.OverlapTokens * 2 > Chunking.MaxTokens)
        {
            yield return ($"{nameof(Chunking)}:{nameof(ChunkingOptions.OverlapTokens)}", $"must be at most half of Chunking:MaxTokens ({Chunking.MaxTokens}), but is {Chunking.OverlapTokens}.");
        }

        if (Chunking.MaxTokens + Chunking.TitleTokens > ChunkingOptions.EncoderWindow)
        {
            yield return ($"{nameof(Chunking)}:{nameof(ChunkingOptions.MaxTokens)}",
                $"plus Chunking:TitleTokens ({Chunking.TitleTokens}) must fit the encoder's window of {ChunkingOptions.EncoderWindow} word pieces, but is {Chunking.MaxTokens}.");
        }

        if (!Labels.SensitivityLabels.TryParse(DefaultLabel, out _))
        {
            yield return (nameof(DefaultLabel), $"must be public, internal, confidential or restricted, but is '{DefaultLabel}'.");
        }

        if (EmbeddingTimeout <= TimeSpan.Zero)
        {
            yield return (nameof(EmbeddingTimeout), "must be positive.");
        }

        if (Search.DefaultTopK > Search.MaxTopK)
        {
            yield return ($"{nameof(Search)}:{nameof(SearchOptions.DefaultTopK)}", $"must not exceed Search:MaxTopK ({Search.MaxTopK}).");
        }
    }
}

/// <summary>Qdrant connection (gRPC port, 6334 by default).</summary>
public sealed class QdrantOptions
{
    public Uri? Endpoint { get; set; }

    public string ApiKey { get; set; } = "";

    /// <summary>Prefix of the two Qdrant collections retrieval owns (<c>&lt;prefix&gt;chunks</c>, <c>&lt;prefix&gt;catalog</c>).</summary>
    [RegularExpression("^[a-zA-Z0-9_-]{0,64}$")]
    public string CollectionPrefix { get; set; } = "hybridai_";

    /// <summary>Deadline of one Qdrant call.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Token-aware chunking, counted in the encoder's word pieces.</summary>
public sealed class ChunkingOptions
{
    /// <summary>all-MiniLM-L6-v2 sees 256 ids, two of which are [CLS] and [SEP].</summary>
    public const int EncoderWindow = 254;

    /// <summary>Most word pieces of document text in one chunk.</summary>
    [Range(16, EncoderWindow)]
    public int MaxTokens { get; set; } = 200;

    /// <summary>Word pieces a chunk repeats from the end of the previous one in the same section.</summary>
    [Range(0, 127)]
    public int OverlapTokens { get; set; } = 40;

    /// <summary>Most word pieces of the title and section headings prepended to a chunk for embedding and keywords.</summary>
    [Range(0, 64)]
    public int TitleTokens { get; set; } = 40;
}

/// <summary>What one request or document may hold.</summary>
public sealed class LimitsOptions
{
    /// <summary>Largest document (raw bytes of text, HTML, Markdown or DOCX).</summary>
    [Range(1, 1024 * 1024 * 1024)]
    public int MaxDocumentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest HTTP request body (JSON or multipart).</summary>
    [Range(1, int.MaxValue)]
    public long MaxRequestBytes { get; set; } = 64L * 1024 * 1024;

    [Range(1, 100_000)]
    public int MaxDocumentsPerRequest { get; set; } = 1_000;

    [Range(1, 1_000_000)]
    public int MaxChunksPerDocument { get; set; } = 20_000;

    [Range(1, 100_000)]
    public int MaxFaqsPerRequest { get; set; } = 5_000;

    [Range(1, 10_000)]
    public int MaxCollectionsPerTenant { get; set; } = 200;

    [Range(1, 1_000)]
    public int MaxMetadataEntries { get; set; } = 32;
}

/// <summary>Search defaults and bounds.</summary>
public sealed class SearchOptions
{
    [Range(1, 1_000)]
    public int DefaultTopK { get; set; } = 5;

    /// <summary>Largest top_k a caller may ask for; more is refused, never silently cut.</summary>
    [Range(1, 1_000)]
    public int MaxTopK { get; set; } = 50;

    /// <summary>Candidates each ranker (vector, BM25) contributes to fusion, as a multiple of top_k (at least 50).</summary>
    [Range(1, 100)]
    public int CandidateMultiplier { get; set; } = 4;

    /// <summary>How vector and keyword results are combined.</summary>
    public Search.FusionMethod Fusion { get; set; } = Search.FusionMethod.RelativeScore;

    /// <summary>
    /// Relative score fusion: the vector ranker's weight w (keyword: 1 − w). 0.3 had the best MRR@10 on the tuning half of
    /// COVID-QA's questions and beats both rankers on the held-out half (docs/benchmarks.md).
    /// </summary>
    [Range(0.0, 1.0)]
    public double VectorWeight { get; set; } = 0.3;

    /// <summary>Reciprocal rank fusion constant k: score = Σ 1 / (k + rank).</summary>
    [Range(1, 1_000)]
    public int RrfK { get; set; } = 60;

    [Range(1, 100_000)]
    public int MaxQueryCharacters { get; set; } = 4_000;
}

/// <summary>FAQ matching.</summary>
public sealed class FaqOptions
{
    /// <summary>Calibrated probability below which MatchFaq answers no match, for collections created without their own.</summary>
    [Range(0.0, 1.0)]
    public double DefaultThreshold { get; set; } = Faq.FaqCalibration.DefaultThreshold;
}
