namespace HybridAI.Retrieval.Http;

// Request and response bodies of the HTTP API (docs/api.md, "Retrieval API"). Field names are snake_case in JSON.

public sealed record CreateCollectionBody(string? Name, string? Kind, double? FaqThreshold);

public sealed record DocumentBody(string? Id, string? Text, string? Html, string? Markdown, string? Label, Dictionary<string, string>? Metadata, string? Title);

public sealed record DocumentsBody(List<DocumentBody>? Documents);

public sealed record FaqBody(string? Id, string? Question, string? Answer, string? Label, Dictionary<string, string>? Metadata);

public sealed record FaqsBody(List<FaqBody>? Faqs);

public sealed record SearchBody(string? Query, int? TopK, Dictionary<string, string>? Filter, double? MinScore, string? Mode, string? MaxLabel, double? VectorWeight);

public sealed record FaqMatchBody(string? Query, string? MaxLabel);

public sealed record CollectionView(string Name, string Kind, long DocumentCount, long ChunkCount, string EmbeddingModel, int Dimensions,
    double? FaqThreshold, DateTimeOffset CreatedAt);

public sealed record CollectionsView(IReadOnlyList<CollectionView> Collections);

public sealed record DeletedCollectionView(bool Deleted, string Name);

public sealed record DeletedDocumentView(bool Deleted, string Id, int ChunksDeleted);

public sealed record IngestedDocumentView(string Id, string Status, int Chunks, string? Error);

public sealed record IngestView(IReadOnlyList<IngestedDocumentView> Documents, int Chunks);

public sealed record FaqsView(int Upserted, int Unchanged);

public sealed record SearchResultView(string DocumentId, string ChunkId, string Title, string Text, double Score, double VectorScore, double KeywordScore,
    string Label, int Start, int End, IReadOnlyDictionary<string, string> Metadata);

public sealed record SearchView(IReadOnlyList<SearchResultView> Results, string? HighestLabel);

public sealed record FaqMatchView(string Id, string Question, string Answer, double Score, string Label);

public sealed record FaqMatchResultView(FaqMatchView? Match);
