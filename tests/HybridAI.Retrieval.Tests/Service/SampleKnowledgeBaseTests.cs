using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Storage.Embedded;

namespace HybridAI.Retrieval.Tests.Service;

public sealed class SampleKnowledgeBaseTests(InferenceServer inference)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LoadsIntoTheDevTenantAnswersItsFaqsAndIsNotReembeddedOnRestart()
    {
        var folder = TempFolder.Create();
        var settings = new Dictionary<string, string?> { ["Retrieval:LoadSampleKnowledgeBase"] = "true" };
        long walAfterFirstStart;
        using (var host = new RetrievalHost(inference, settings, folder))
        {
            await WaitForHealthyAsync(host);
            var collections = await host.Grpc.ListCollectionsAsync(new ListCollectionsRequest(), RetrievalHost.As("dev"));
            Assert.Equal(["docs", "faq"], collections.Collections.Select(c => c.Name));
            Assert.InRange(collections.Collections[1].DocumentCount, 20, 40);

            var match = await host.Grpc.MatchFaqAsync(new MatchFaqRequest { Query = "I can't remember my password, how do I get a new one?" }, RetrievalHost.As("dev"));
            Assert.Equal("password-reset", match.Match.Id);
            Assert.Equal(DataClass.Public, match.Match.Label);

            var search = await host.Grpc.SearchAsync(new SearchRequest { Collection = "docs", Query = "goodwill voucher for a late delivery", TopK = 3 }, RetrievalHost.As("dev"));
            Assert.Equal("support-playbook", search.Results[0].DocumentId);
            Assert.Equal(DataClass.Internal, search.HighestLabel);
            walAfterFirstStart = new FileInfo(Path.Combine(folder, EmbeddedVectorStore.WalFile)).Length;
        }

        using (var restarted = new RetrievalHost(inference, settings, folder))
        {
            await WaitForHealthyAsync(restarted);
            Assert.Equal(walAfterFirstStart, new FileInfo(Path.Combine(folder, EmbeddedVectorStore.WalFile)).Length);
        }
    }

    private static async Task WaitForHealthyAsync(RetrievalHost host)
    {
        using var http = host.Factory.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await (await http.GetAsync(new Uri("/health", UriKind.Relative), Ct)).Content.ReadAsStringAsync(Ct) != "Healthy")
        {
            Assert.True(DateTime.UtcNow < deadline, "retrieval did not load the sample knowledge base within 60 s");
            await Task.Delay(100, Ct);
        }
    }
}
