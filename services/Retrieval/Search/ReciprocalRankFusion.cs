using HybridAI.Retrieval.Storage;

namespace HybridAI.Retrieval.Search;

/// <summary>A chunk after fusion: the fused score and each ranker's own score (0 when that ranker did not return it).</summary>
public sealed record FusedHit(ChunkHit Chunk, double Score, double VectorScore, double KeywordScore);

/// <summary>
/// Reciprocal rank fusion (Cormack et al., 2009): each ranker adds <c>1 / (k + rank)</c> for every chunk it returns.
/// Rank-based, so BM25's unbounded scores and cosine similarities need no common scale. The fused score is divided by
/// its maximum, <c>2 / (k + 1)</c> (first in both lists), so it lies in (0, 1].
/// </summary>
public static class ReciprocalRankFusion
{
    public static List<FusedHit> Fuse(IReadOnlyList<ChunkHit> vector, IReadOnlyList<ChunkHit> keyword, int k)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(keyword);
        var fused = new Dictionary<(string Document, int Chunk), (ChunkHit Hit, double Rrf, double Vector, double Keyword)>();
        for (var rank = 0; rank < vector.Count; rank++)
        {
            var hit = vector[rank];
            fused[(hit.DocumentId, hit.ChunkIndex)] = (hit, 1.0 / (k + rank + 1), hit.Score, 0);
        }

        for (var rank = 0; rank < keyword.Count; rank++)
        {
            var hit = keyword[rank];
            var key = (hit.DocumentId, hit.ChunkIndex);
            fused[key] = fused.TryGetValue(key, out var seen)
                ? (seen.Hit, seen.Rrf + (1.0 / (k + rank + 1)), seen.Vector, hit.Score)
                : (hit, 1.0 / (k + rank + 1), 0, hit.Score);
        }

        var max = 2.0 / (k + 1);
        return [.. fused.Values
            .OrderByDescending(f => f.Rrf).ThenByDescending(f => f.Vector).ThenBy(f => f.Hit.DocumentId, StringComparer.Ordinal).ThenBy(f => f.Hit.ChunkIndex)
            .Select(f => new FusedHit(f.Hit, f.Rrf / max, f.Vector, f.Keyword))];
    }
}
