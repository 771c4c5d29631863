using HybridAI.Testing;

namespace HybridAI.Retrieval.Tests;

public sealed class RetrievalOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Retrieval:DataPath"] = Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N")),
            ["Retrieval:VectorStore"] = "Qdrant",
            ["Retrieval:Chunking:MaxTokens"] = "230",
            ["Retrieval:Chunking:OverlapTokens"] = "120",
            ["Retrieval:DefaultLabel"] = "secret",
            ["Retrieval:Search:MaxTopK"] = "0",
            ["Retrieval:EmbeddingBatchSize"] = "1000",
        };

        ServiceStartup.AssertRefusesToStart<RetrievalOptions>(settings,
            "Retrieval:Qdrant:Endpoint", "Retrieval:Chunking:MaxTokens", "Retrieval:Chunking:OverlapTokens", "Retrieval:DefaultLabel",
            "Retrieval:Search:MaxTopK", "Retrieval:EmbeddingBatchSize");
    }

    [Fact]
    public void QdrantEndpointMustBeAnHttpUrl()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Retrieval:VectorStore"] = "Qdrant",
            ["Retrieval:Qdrant:Endpoint"] = "ftp://qdrant:6334",
        };

        var message = ServiceStartup.AssertRefusesToStart<RetrievalOptions>(settings, "Retrieval:Qdrant:Endpoint");
        Assert.Contains("gRPC port", message, StringComparison.Ordinal);
    }
}
