using HybridAI.Testing;

namespace HybridAI.Retrieval.Tests;

public sealed class RetrievalOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>(RetrievalServiceTests.Settings)
        {
            ["Retrieval:VectorStore"] = "Qdrant",
        };

        ServiceStartup.AssertRefusesToStart<RetrievalOptions>(settings, "Retrieval:Qdrant:Endpoint");
    }
}
