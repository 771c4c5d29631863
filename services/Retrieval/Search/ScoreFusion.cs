using HybridAI.Retrieval.Storage;

namespace HybridAI.Retrieval.Search;

/// <summary>A chunk after fusion: the fused score and each ranker's own score (0 when that ranker did not return it).</summary>
public sealed record FusedHit(ChunkHit Chunk, double Score, double VectorScore, double KeywordScore);

/// <summary>How vector and keyword results are combined (<c>Retrieval:Search:Fusion</c>).</summary>
public enum FusionMethod
{
    /// <summary>
    /// Relative score fusion: each ranker's scores min-max normalised over its candidates, then
    /// <c>w·vector + (1 − w)·keyword</c>. Keeps how much better the best candidates are, which rank fusion discards; on
    /// COVID-QA, with the vector weight 0.3, it beats both rankers where RRF does not (docs/benchmarks.md).
    /// </summary>
    RelativeScore,

    /// <summary>Reciprocal rank fusion (Cormack et al., 2009): Σ 1 / (k + rank), divided by its maximum 2 / (k + 1).</summary>
    ReciprocalRank,
}

/// <summary>The two fusions of a vector and a keyword result list; both give scores in [0, 1], best first.</summary>
public static class ScoreFusion
{
    public static List<FusedHit> Fuse(FusionMethod method, IReadOnlyList<ChunkHit> vector, IReadOnlyList<ChunkHit> keyword, double vectorWeight, int rrfK) =>
        method == FusionMethod.ReciprocalRank ? ReciprocalRank(vector, keyword, rrfK) : RelativeScore(vector, keyword, vectorWeight);

    public static List<FusedHit> RelativeScore(IReadOnlyList<ChunkHit> vector, IReadOnlyList<ChunkHit> keyword, double vectorWeight)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(keyword);
        var fused = new Dictionary<(string, int), (ChunkHit Hit, double Vector, double Keyword, double Score)>();
        Add(vector, vectorWeight, isVector: true);
        Add(keyword, 1 - vectorWeight, isVector: false);
        return Order(fused.Values.Select(f => (f.Hit, f.Score, f.Vector, f.Keyword)));

        void Add(IReadOnlyList<ChunkHit> hits, double weight, bool isVector)
        {
            if (hits.Count == 0)
            {
                return;
            }

            var max = hits[0].Score;
            var min = hits[0].Score;
            foreach (var hit in hits)
            {
                max = Math.Max(max, hit.Score);
                min = Math.Min(min, hit.Score);
            }

            foreach (var hit in hits)
            {
                var normalised = max > min ? (hit.Score - min) / (max - min) : 1.0;
                var key = (hit.DocumentId, hit.ChunkIndex);
                var seen = fused.TryGetValue(key, out var f) ? f : (hit, 0, 0, 0);
                fused[key] = isVector
                    ? (seen.Hit, hit.Score, seen.Keyword, seen.Score + (weight * normalised))
                    : (seen.Hit, seen.Vector, hit.Score, seen.Score + (weight * normalised));
            }
        }
    }

    public static List<FusedHit> ReciprocalRank(IReadOnlyList<ChunkHit> vector, IReadOnlyList<ChunkHit> keyword, int k)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(keyword);
        var fused = new Dictionary<(string, int), (ChunkHit Hit, double Rrf, double Vector, double Keyword)>();
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
        return Order(fused.Values.Select(f => (f.Hit, f.Rrf / max, f.Vector, f.Keyword)));
    }

    private static List<FusedHit> Order(IEnumerable<(ChunkHit Hit, double Score, double Vector, double Keyword)> hits) =>
        [.. hits.OrderByDescending(f => f.Score).ThenByDescending(f => f.Vector).ThenBy(f => f.Hit.DocumentId, StringComparer.Ordinal).ThenBy(f => f.Hit.ChunkIndex)
            .Select(f => new FusedHit(f.Hit, f.Score, f.Vector, f.Keyword))];
}
