using System.Text.Json.Serialization;

namespace HybridAI.Router.Caching;

/// <summary>Source-generated JSON for cache entries in Redis.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CachedAnswer))]
internal sealed partial class CacheJson : JsonSerializerContext;
