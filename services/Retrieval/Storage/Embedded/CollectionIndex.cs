using System.Runtime.InteropServices;
using HybridAI.Contracts.Common.V1;
using HybridAI.Retrieval.Storage.Keyword;

namespace HybridAI.Retrieval.Storage.Embedded;

/// <summary>
/// One tenant's collection in memory: every chunk's vector in one contiguous float buffer (row per slot) for exact SIMD
/// search, chunk data in a parallel slot array, and a BM25 inverted index. Replacing or deleting a document tombstones
/// its slots; the index compacts itself when a quarter of the slots are dead. Readers share a lock; the store
/// serialises writers.
/// </summary>
internal sealed partial class CollectionIndex : IDisposable
{
    private const float K1 = 1.2f;
    private const float B = 0.75f;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, DocumentEntry> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TermEntry> _terms = new(StringComparer.Ordinal);
    private readonly int _dimensions;
    private float[] _vectors;
    private Slot[] _slots;
    private int _count;
    private int _dead;
    private long _totalLength;

    public CollectionIndex(CollectionDefinition definition)
    {
        Definition = definition;
        _dimensions = definition.Dimensions;
        _slots = new Slot[16];
        _vectors = new float[16 * _dimensions];
    }

    public CollectionDefinition Definition { get; }

    public CollectionStats Stats()
    {
        _lock.EnterReadLock();
        try
        {
            return new CollectionStats(Definition, _documents.Count, _count - _dead);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public DocumentState? GetDocument(string id)
    {
        _lock.EnterReadLock();
        try
        {
            return _documents.TryGetValue(id, out var entry) ? entry.State : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Every document with its chunks (vectors copied), for snapshots.</summary>
    public List<StoredDocument> Export()
    {
        _lock.EnterReadLock();
        try
        {
            return [.. _documents.Values.Select(entry => new StoredDocument(entry.State, [.. entry.Slots.Select(ChunkAt)]))];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Replace(StoredDocument document)
    {
        foreach (var chunk in document.Chunks)
        {
            if (chunk.Vector.Length != _dimensions)
            {
                throw new ArgumentException($"Chunk {chunk.Index} has {chunk.Vector.Length} dimensions; the collection has {_dimensions}.", nameof(document));
            }
        }

        _lock.EnterWriteLock();
        try
        {
            RemoveLocked(document.State.Id);
            var entry = new DocumentEntry(document.State, new int[document.Chunks.Count]);
            for (var i = 0; i < document.Chunks.Count; i++)
            {
                entry.Slots[i] = AddLocked(entry, document.Chunks[i]);
            }

            _documents[document.State.Id] = entry;
            CompactIfNeededLocked();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public bool UpdateAttributes(DocumentState attributes)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_documents.TryGetValue(attributes.Id, out var entry))
            {
                return false;
            }

            entry.State = entry.State with { Label = attributes.Label, Metadata = attributes.Metadata };
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public int? Delete(string id)
    {
        _lock.EnterWriteLock();
        try
        {
            var removed = RemoveLocked(id);
            CompactIfNeededLocked();
            return removed;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private int AddLocked(DocumentEntry entry, StoredChunk chunk)
    {
        if (_count == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
            Array.Resize(ref _vectors, _slots.Length * _dimensions);
        }

        var slot = _count++;
        chunk.Vector.CopyTo(_vectors.AsSpan(slot * _dimensions, _dimensions));
        var (frequencies, length) = KeywordAnalyzer.Analyze(chunk.KeywordText);
        _slots[slot] = new Slot(entry, chunk.Index, chunk.Title, chunk.Text, chunk.Start, chunk.End, length);
        _totalLength += length;
        foreach (var (term, frequency) in frequencies)
        {
            ref var termEntry = ref CollectionsMarshal.GetValueRefOrAddDefault(_terms, term, out var exists);
            if (!exists)
            {
                termEntry = new TermEntry();
            }

            termEntry!.Postings.Add(new Posting(slot, frequency));
            termEntry.DocumentFrequency++;
        }

        return slot;
    }

    private int? RemoveLocked(string id)
    {
        if (!_documents.Remove(id, out var entry))
        {
            return null;
        }

        foreach (var slot in entry.Slots)
        {
            ref var s = ref _slots[slot];
            _totalLength -= s.Length;
            // Postings of dead slots stay until compaction (skipped by queries); document frequencies drop now so IDF
            // stays exact.
            foreach (var term in KeywordAnalyzer.Analyze(s.Title.Length == 0 ? s.Text : $"{s.Title}\n{s.Text}").Frequencies.Keys)
            {
                if (_terms.TryGetValue(term, out var termEntry))
                {
                    termEntry.DocumentFrequency--;
                }
            }

            s = s with { Document = null };
            _dead++;
        }

        return entry.Slots.Length;
    }

    private void CompactIfNeededLocked()
    {
        if (_dead < 1024 || _dead * 4 < _count)
        {
            return;
        }

        var documents = _documents.Values.Select(entry => (entry, chunks: entry.Slots.Select(ChunkAt).ToArray())).ToList();
        _terms.Clear();
        _count = 0;
        _dead = 0;
        _totalLength = 0;
        var capacity = Math.Max(16, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, documents.Sum(d => d.chunks.Length))));
        _slots = new Slot[capacity];
        _vectors = new float[capacity * _dimensions];
        foreach (var (entry, chunks) in documents)
        {
            for (var i = 0; i < chunks.Length; i++)
            {
                entry.Slots[i] = AddLocked(entry, chunks[i]);
            }
        }
    }

    private StoredChunk ChunkAt(int slot)
    {
        var s = _slots[slot];
        return new StoredChunk(s.ChunkIndex, s.Title, s.Text, s.Start, s.End, _vectors.AsSpan(slot * _dimensions, _dimensions).ToArray());
    }

    /// <summary>
    /// Called when the store closes. A deleted collection's index is left to the garbage collector instead, because a
    /// search that found it a moment before may still hold its read lock.
    /// </summary>
    public void Dispose() => _lock.Dispose();

    private sealed class DocumentEntry(DocumentState state, int[] slots)
    {
        public DocumentState State { get; set; } = state;

        public int[] Slots { get; } = slots;
    }

    /// <summary>A chunk's place; <see cref="Document"/> is null once the chunk is deleted (a tombstone).</summary>
    private readonly record struct Slot(DocumentEntry? Document, int ChunkIndex, string Title, string Text, int Start, int End, int Length);

    private readonly record struct Posting(int Slot, int Frequency);

    private sealed class TermEntry
    {
        public List<Posting> Postings { get; } = [];

        public int DocumentFrequency { get; set; }
    }

    private static bool Allowed(ChunkFilter filter, DocumentState state) => filter.Matches(state.Label, state.Metadata);

    private ChunkHit Hit(int slot, double score)
    {
        var s = _slots[slot];
        var state = s.Document!.State;
        return new ChunkHit(state.Id, s.ChunkIndex, s.Title, s.Text, s.Start, s.End, state.Label, state.Metadata, score);
    }

    private static float Idf(int documents, int documentFrequency) =>
        MathF.Log(1 + ((documents - documentFrequency + 0.5f) / (documentFrequency + 0.5f)));

    internal static DataClass LabelOf(int value) => (DataClass)value;
}
