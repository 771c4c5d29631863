using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.Collections;
using HybridAI.Retrieval.Storage.Keyword;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace HybridAI.Retrieval.Storage.Qdrant;

/// <summary>Point ids, payload fields, filters and BM25 sparse vectors of the Qdrant adapter.</summary>
internal static class QdrantPayload
{
    public const string DenseVector = "dense";
    public const string SparseVector = "bm25";

    public const string Tenant = "tenant";
    public const string Collection = "collection";
    public const string DocumentId = "document_id";
    public const string Label = "label";
    public const string Version = "version";
    public const string Committed = "committed";
    public const string Metadata = "metadata";
    public const string Type = "type";

    /// <summary>
    /// BM25 term weights are computed here, since Qdrant's IDF modifier supplies only the IDF factor: the saturation and
    /// length normalisation use an assumed average chunk length (chunks are cut to similar sizes, so a constant is close).
    /// </summary>
    public const float K1 = 1.2f;
    public const float B = 0.75f;
    public const float AverageLength = 120f;

    /// <summary>A UUID derived from the parts (SHA-256, version-5 layout): the same parts always give the same point.</summary>
    public static Guid Id(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>Tenant and collection conditions: the start of every filter the adapter sends.</summary>
    public static Filter Scope(string tenant, string collection)
    {
        var filter = new Filter();
        filter.Must.Add(MatchKeyword(Tenant, tenant));
        filter.Must.Add(MatchKeyword(Collection, collection));
        return filter;
    }

    public static Filter Chunks(string tenant, string collection, ChunkFilter? conditions)
    {
        var filter = Scope(tenant, collection);
        filter.Must.Add(Match(Committed, true));
        if (conditions is not null)
        {
            if (conditions.MaxLabel != Contracts.Common.V1.DataClass.Unspecified)
            {
                filter.Must.Add(Conditions.Range(Label, new global::Qdrant.Client.Grpc.Range { Lte = (int)conditions.MaxLabel }));
            }

            foreach (var (key, value) in conditions.Metadata)
            {
                filter.Must.Add(MatchKeyword($"{Metadata}.{key}", value));
            }
        }

        return filter;
    }

    /// <summary>A chunk's BM25 sparse vector: term ids (XxHash32) with saturated, length-normalised frequencies; null without terms.</summary>
    public static Vector? DocumentVector(string text)
    {
        var (frequencies, length) = KeywordAnalyzer.Analyze(text);
        var weights = new Dictionary<uint, float>();
        foreach (var (term, tf) in frequencies)
        {
            var weight = tf * (K1 + 1) / (tf + (K1 * (1 - B + (B * length / AverageLength))));
            var id = KeywordAnalyzer.TermId(term);
            weights[id] = weights.GetValueOrDefault(id) + weight;
        }

        return weights.Count == 0 ? null : Sparse(weights);
    }

    /// <summary>A query's sparse vector: weight 1 per distinct term (Qdrant multiplies by IDF).</summary>
    public static (float[] Values, uint[] Indices) QueryVector(string query)
    {
        var weights = new Dictionary<uint, float>();
        foreach (var term in KeywordAnalyzer.QueryTerms(query))
        {
            weights[KeywordAnalyzer.TermId(term)] = 1f;
        }

        var indices = weights.Keys.Order().ToArray();
        return ([.. indices.Select(i => weights[i])], indices);
    }

    private static Vector Sparse(Dictionary<uint, float> weights)
    {
        var indices = weights.Keys.Order().ToArray();
        return ([.. indices.Select(i => weights[i])], indices);
    }

    public static Value MetadataValue(IReadOnlyDictionary<string, string> metadata)
    {
        var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            fields[key] = value;
        }

        return fields;
    }

    public static Dictionary<string, string> ReadMetadata(MapField<string, Value> payload) =>
        payload.TryGetValue(Metadata, out var value) && value.KindCase == Value.KindOneofCase.StructValue
            ? value.StructValue.Fields.ToDictionary(f => f.Key, f => f.Value.StringValue, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    public static string String(MapField<string, Value> payload, string key) =>
        payload.TryGetValue(key, out var value) ? value.StringValue : "";

    public static long Integer(MapField<string, Value> payload, string key) =>
        payload.TryGetValue(key, out var value) ? value.IntegerValue : 0;
}
