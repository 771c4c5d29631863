using System.Buffers;
using HybridAI.Retrieval.Storage.Keyword;

namespace HybridAI.Retrieval.Storage.Embedded;

internal sealed partial class CollectionIndex
{
    /// <summary>Above this many slots a vector search splits the scan across cores.</summary>
    private const int ParallelThreshold = 32_768;

    /// <summary>Exact nearest neighbours: one dot product per live slot that passes the filter.</summary>
    public List<ChunkHit> SearchVector(ReadOnlySpan<float> query, int limit, ChunkFilter filter)
    {
        if (query.Length != _dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; the collection has {_dimensions}.", nameof(query));
        }

        _lock.EnterReadLock();
        try
        {
            var count = _count;
            TopK best;
            if (count < ParallelThreshold || Environment.ProcessorCount == 1)
            {
                best = ScanVectors(query, 0, count, limit, filter);
            }
            else
            {
                var q = query.ToArray();
                var parts = Math.Min(Environment.ProcessorCount, 8);
                var partial = new TopK[parts];
                Parallel.For(0, parts, part =>
                {
                    var start = (int)((long)count * part / parts);
                    var end = (int)((long)count * (part + 1) / parts);
                    partial[part] = ScanVectors(q, start, end, limit, filter);
                });
                best = partial[0];
                for (var i = 1; i < parts; i++)
                {
                    best.Merge(partial[i]);
                }
            }

            return [.. best.Drain().Select(h => Hit(h.Slot, h.Score))];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private TopK ScanVectors(ReadOnlySpan<float> query, int start, int end, int limit, ChunkFilter filter)
    {
        var best = new TopK(limit);
        var vectors = _vectors.AsSpan();
        var unfiltered = filter.MaxLabel == Contracts.Common.V1.DataClass.Unspecified && filter.Metadata.Count == 0;
        DocumentEntry? lastDocument = null;
        var lastAllowed = false;
        for (var slot = start; slot < end; slot++)
        {
            var document = _slots[slot].Document;
            if (document is null)
            {
                continue;
            }

            if (!unfiltered)
            {
                // A document's chunks sit in consecutive slots: decide the filter once per document.
                if (!ReferenceEquals(document, lastDocument))
                {
                    lastDocument = document;
                    lastAllowed = Allowed(filter, document.State);
                }

                if (!lastAllowed)
                {
                    continue;
                }
            }

            best.Offer(slot, VectorMath.Dot(query, vectors.Slice(slot * _dimensions, _dimensions)));
        }

        return best;
    }

    /// <summary>BM25 (k1 = 1.2, b = 0.75) over the analyzer's terms; IDF and average length over live chunks.</summary>
    public List<ChunkHit> SearchKeyword(string query, int limit, ChunkFilter filter)
    {
        var terms = KeywordAnalyzer.QueryTerms(query);
        _lock.EnterReadLock();
        var scores = ArrayPool<float>.Shared.Rent(Math.Max(1, _count));
        try
        {
            var live = _count - _dead;
            if (live == 0 || terms.Count == 0)
            {
                return [];
            }

            Array.Clear(scores, 0, _count);
            var averageLength = Math.Max(1f, (float)_totalLength / live);
            var touched = new List<int>();
            foreach (var term in terms)
            {
                if (!_terms.TryGetValue(term, out var entry) || entry.DocumentFrequency <= 0)
                {
                    continue;
                }

                var idf = Idf(live, entry.DocumentFrequency);
                foreach (var posting in entry.Postings)
                {
                    ref readonly var slot = ref _slots[posting.Slot];
                    if (slot.Document is null)
                    {
                        continue;
                    }

                    var tf = posting.Frequency;
                    var score = idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B + (B * slot.Length / averageLength))));
                    if (scores[posting.Slot] == 0)
                    {
                        touched.Add(posting.Slot);
                    }

                    scores[posting.Slot] += score;
                }
            }

            var best = new TopK(limit);
            foreach (var slot in touched)
            {
                if (Allowed(filter, _slots[slot].Document!.State))
                {
                    best.Offer(slot, scores[slot]);
                }
            }

            return [.. best.Drain().Select(h => Hit(h.Slot, h.Score))];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            _lock.ExitReadLock();
        }
    }
}
