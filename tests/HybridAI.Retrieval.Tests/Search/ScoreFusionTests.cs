using HybridAI.Contracts.Common.V1;
using HybridAI.Retrieval.Search;
using HybridAI.Retrieval.Storage;

namespace HybridAI.Retrieval.Tests.Search;

public sealed class ScoreFusionTests
{
    private static ChunkHit Hit(string document, double score) =>
        new(document, 0, "", document, 0, 1, DataClass.Public, new Dictionary<string, string>(), score);

    [Fact]
    public void RelativeScoreFusionNormalisesEachRankerAndWeighsThem()
    {
        var vector = new[] { Hit("a", 0.9), Hit("b", 0.5), Hit("c", 0.1) };
        var keyword = new[] { Hit("b", 12), Hit("d", 2) };

        var fused = ScoreFusion.RelativeScore(vector, keyword, 0.5);

        Assert.Equal(["b", "a", "c", "d"], fused.Select(f => f.Chunk.DocumentId));
        Assert.Equal(0.75, fused[0].Score, 6);
        Assert.Equal((0.5, 12.0), (fused[0].VectorScore, fused[0].KeywordScore));
        Assert.Equal(0.5, fused[1].Score, 6);
        Assert.Equal(0, fused[1].KeywordScore);
        Assert.All(fused, f => Assert.InRange(f.Score, 0, 1));
    }

    [Fact]
    public void TheVectorWeightShiftsTheBalance()
    {
        var vector = new[] { Hit("semantic", 0.8), Hit("lexical", 0.2) };
        var keyword = new[] { Hit("lexical", 9), Hit("semantic", 1) };

        Assert.Equal("semantic", ScoreFusion.RelativeScore(vector, keyword, 0.8)[0].Chunk.DocumentId);
        Assert.Equal("lexical", ScoreFusion.RelativeScore(vector, keyword, 0.2)[0].Chunk.DocumentId);
    }

    [Fact]
    public void ReciprocalRankFusionScoresOneForFirstInBothLists()
    {
        var fused = ScoreFusion.ReciprocalRank([Hit("a", 0.9), Hit("b", 0.8)], [Hit("a", 5), Hit("c", 4)], 60);

        Assert.Equal("a", fused[0].Chunk.DocumentId);
        Assert.Equal(1.0, fused[0].Score, 6);
        Assert.Equal(["a", "b", "c"], fused.Select(f => f.Chunk.DocumentId));
    }
}
