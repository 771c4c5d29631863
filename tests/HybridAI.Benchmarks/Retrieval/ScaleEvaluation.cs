using System.Diagnostics;
using HybridAI.Benchmarks.Harness;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Search;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Storage.Embedded;
using HybridAI.Retrieval.Tenancy;

namespace HybridAI.Benchmarks.Retrieval;

/// <summary>
/// The embedded store at scale: synthetic chunks (random unit vectors of 384 dimensions, 60 words from a Zipf-distributed
/// vocabulary of 20,000), written document by document (20 chunks each, one fsync'd log record per document), reopened,
/// and searched. Baseline for vector search: a plain scalar loop over one array per chunk with a full sort.
/// </summary>
internal static class ScaleEvaluation
{
    public const int Dimensions = 384;

    public sealed record Result(int Chunks, double WriteSeconds, double ReopenSeconds, long WalBytes,
        LatencySamples Vector, LatencySamples Keyword, LatencySamples Hybrid, LatencySamples Naive);

    public static async Task<Result> RunAsync(int chunks, int queries, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "hybridai-bench", Guid.NewGuid().ToString("N"));
        var random = new Random(20261130);
        var vocabulary = Enumerable.Range(0, 20_000).Select(i => $"w{i}").ToArray();
        var zipf = Enumerable.Range(1, vocabulary.Length).Select(r => 1.0 / r).ToArray();
        var cumulative = new double[zipf.Length];
        var sum = 0.0;
        for (var i = 0; i < zipf.Length; i++)
        {
            cumulative[i] = sum += zipf[i];
        }

        string Word()
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            return vocabulary[Math.Min(index < 0 ? ~index : index, vocabulary.Length - 1)];
        }

        float[] UnitVector()
        {
            var v = new float[Dimensions];
            for (var i = 0; i < v.Length; i++)
            {
                v[i] = (float)((random.NextDouble() * 2) - 1);
            }

            VectorMath.Normalize(v);
            return v;
        }

        var scope = new CollectionScope("bench", "scale");
        var naive = new List<float[]>(chunks);
        double writeSeconds;
        long walBytes;
        try
        {
            using (var store = new EmbeddedVectorStore(folder, compactionBytes: long.MaxValue))
            {
                await store.CreateCollectionAsync(scope.Tenant, new CollectionDefinition(scope.Collection, CollectionKind.Documents, "synthetic", Dimensions, 0, DateTimeOffset.UtcNow), cancellationToken);
                var documents = new List<StoredDocument>();
                for (var d = 0; d < chunks / 20; d++)
                {
                    var stored = Enumerable.Range(0, 20).Select(i =>
                    {
                        var text = string.Join(' ', Enumerable.Range(0, 60).Select(_ => Word()));
                        var vector = UnitVector();
                        naive.Add(vector);
                        return new StoredChunk(i, $"Document {d}", text, 0, text.Length, vector);
                    }).ToList();
                    documents.Add(new StoredDocument(new DocumentState($"doc-{d}", $"h{d}", DataClass.Internal, new Dictionary<string, string>(), stored.Count), stored));
                }

                var watch = Stopwatch.StartNew();
                foreach (var document in documents)
                {
                    await store.ReplaceDocumentAsync(scope, document, cancellationToken);
                }

                writeSeconds = watch.Elapsed.TotalSeconds;
                walBytes = store.WalBytes;
            }

            var reopen = Stopwatch.StartNew();
            using var reopened = new EmbeddedVectorStore(folder, compactionBytes: long.MaxValue);
            var reopenSeconds = reopen.Elapsed.TotalSeconds;

            var queryVectors = Enumerable.Range(0, queries).Select(_ => UnitVector()).ToArray();
            var queryTexts = Enumerable.Range(0, queries).Select(_ => $"{Word()} {Word()} {vocabulary[random.Next(200, 5000)]}").ToArray();
            var vector = new LatencySamples();
            var keyword = new LatencySamples();
            var hybrid = new LatencySamples();
            var baseline = new LatencySamples();
            for (var warm = 0; warm < 20; warm++)
            {
                await reopened.SearchVectorAsync(scope, queryVectors[warm % queries], 10, ChunkFilter.None, cancellationToken);
                await reopened.SearchKeywordAsync(scope, queryTexts[warm % queries], 10, ChunkFilter.None, cancellationToken);
            }

            for (var q = 0; q < queries; q++)
            {
                var start = Stopwatch.GetTimestamp();
                await reopened.SearchVectorAsync(scope, queryVectors[q], 10, ChunkFilter.None, cancellationToken);
                vector.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);

                start = Stopwatch.GetTimestamp();
                await reopened.SearchKeywordAsync(scope, queryTexts[q], 10, ChunkFilter.None, cancellationToken);
                keyword.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);

                start = Stopwatch.GetTimestamp();
                var v = reopened.SearchVectorAsync(scope, queryVectors[q], 50, ChunkFilter.None, cancellationToken);
                var k = reopened.SearchKeywordAsync(scope, queryTexts[q], 50, ChunkFilter.None, cancellationToken);
                ScoreFusion.RelativeScore(await v, await k, 0.5);
                hybrid.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);

                if (q < Math.Min(queries, 50))
                {
                    start = Stopwatch.GetTimestamp();
                    NaiveSearch(naive, queryVectors[q], 10);
                    baseline.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            return new Result(naive.Count, writeSeconds, reopenSeconds, walBytes, vector, keyword, hybrid, baseline);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>What a first implementation would do: a scalar dot product per chunk, then sort everything.</summary>
    private static List<(int Index, float Score)> NaiveSearch(List<float[]> vectors, float[] query, int k)
    {
        var scores = new List<(int Index, float Score)>(vectors.Count);
        for (var i = 0; i < vectors.Count; i++)
        {
            var vector = vectors[i];
            var dot = 0f;
            for (var d = 0; d < vector.Length; d++)
            {
                dot += vector[d] * query[d];
            }

            scores.Add((i, dot));
        }

        return [.. scores.OrderByDescending(s => s.Score).Take(k)];
    }
}
