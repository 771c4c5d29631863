using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;

namespace HybridAI.Retrieval.Storage;

/// <summary>A collection as created: its kind, the embedding model and size its vectors have, its FAQ threshold.</summary>
public sealed record CollectionDefinition(string Name, CollectionKind Kind, string EmbeddingModel, int Dimensions, double FaqThreshold, DateTimeOffset CreatedAt);

/// <summary>A collection with its counts.</summary>
public sealed record CollectionStats(CollectionDefinition Definition, long DocumentCount, long ChunkCount);

/// <summary>
/// What is stored about a document besides its chunks. <see cref="ContentHash"/> covers the extracted text, the chunking
/// settings and the embedding model: equal hashes mean the chunks and vectors would come out the same.
/// </summary>
public sealed record DocumentState(string Id, string ContentHash, DataClass Label, IReadOnlyDictionary<string, string> Metadata, int ChunkCount)
{
    /// <summary>Label and metadata equal (the attributes that can change without re-embedding).</summary>
    public bool SameAttributes(DataClass label, IReadOnlyDictionary<string, string> metadata) =>
        Label == label && Metadata.Count == metadata.Count
        && Metadata.All(m => metadata.TryGetValue(m.Key, out var v) && string.Equals(v, m.Value, StringComparison.Ordinal));
}

/// <summary>A document ready to store: its state and its embedded chunks.</summary>
public sealed record StoredDocument(DocumentState State, IReadOnlyList<StoredChunk> Chunks);

/// <summary>
/// One chunk. <see cref="Title"/> is the document title and section path (documents) or the question (FAQ pairs);
/// <see cref="Text"/> is the chunk's text (documents: exactly <c>extracted[Start..End]</c>) or the answer (FAQ pairs).
/// Keywords are indexed over title and text; the vector was embedded from the same.
/// </summary>
public sealed record StoredChunk(int Index, string Title, string Text, int Start, int End, float[] Vector)
{
    /// <summary>The text BM25 indexes and the embedding was computed from.</summary>
    public string KeywordText => Title.Length == 0 ? Text : $"{Title}\n{Text}";
}

/// <summary>Conditions on chunks, applied inside the store's query: highest label, metadata equality.</summary>
public sealed record ChunkFilter(DataClass MaxLabel, IReadOnlyDictionary<string, string> Metadata)
{
    public static readonly ChunkFilter None = new(DataClass.Unspecified, new Dictionary<string, string>());

    public bool Matches(DataClass label, IReadOnlyDictionary<string, string> metadata)
    {
        if (MaxLabel != DataClass.Unspecified && label > MaxLabel)
        {
            return false;
        }

        foreach (var (key, value) in Metadata)
        {
            if (!metadata.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A chunk found by one ranker, with that ranker's score.</summary>
public sealed record ChunkHit(string DocumentId, int ChunkIndex, string Title, string Text, int Start, int End,
    DataClass Label, IReadOnlyDictionary<string, string> Metadata, double Score)
{
    public string ChunkId => ChunkIds.Format(DocumentId, ChunkIndex);
}

/// <summary>Chunk ids are <c>&lt;document id&gt;#&lt;index&gt;</c>, stable for a document version.</summary>
public static class ChunkIds
{
    public static string Format(string documentId, int index) => $"{documentId}#{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
