using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Collections;
using HybridAI.Retrieval.Embeddings;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Ingestion;
using HybridAI.Retrieval.Labels;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Tenancy;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval.Faq;

/// <summary>
/// FAQ collections: question/answer pairs, each stored as one chunk (title = question, text = answer) whose vector is the
/// question's embedding. <see cref="MatchAsync"/> finds the nearest question and calibrates its cosine similarity into
/// the probability that the pair answers the query (<see cref="FaqCalibration"/>); below the collection's threshold
/// there is no match.
/// </summary>
public sealed class FaqService(IVectorStore store, CollectionService collections, IEmbeddingClient embeddings, EncoderInfo encoder, IOptions<RetrievalOptions> options)
{
    public const string DefaultCollection = "faq";
    public const int MaxQuestionCharacters = 2_000;
    public const int MaxAnswerCharacters = 20_000;
    private const string FaqVersion = "faq-1";

    public async Task<UpsertFaqsResponse> UpsertAsync(string tenant, UpsertFaqsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = new CollectionScope(tenant, request.Collection);
        var collection = await collections.RequireAsync(scope, CollectionKind.Faq, cancellationToken);
        var pairs = Validate(request.Faqs);

        var response = new UpsertFaqsResponse();
        var changed = new List<(Contracts.Retrieval.V1.Faq Faq, DataClass Label, string Hash)>();
        foreach (var (faq, label) in pairs)
        {
            var hash = DocumentPreparation.Hash($"{FaqVersion}\n{collection.Definition.EmbeddingModel}\n{faq.Question}\n{faq.Answer}");
            var existing = await store.GetDocumentAsync(scope, faq.Id, cancellationToken);
            if (existing?.ContentHash == hash)
            {
                if (existing.SameAttributes(label, faq.Metadata))
                {
                    response.Unchanged++;
                }
                else
                {
                    await store.UpdateDocumentAttributesAsync(scope, existing with { Label = label, Metadata = new Dictionary<string, string>(faq.Metadata) }, cancellationToken);
                    response.Upserted++;
                }

                continue;
            }

            changed.Add((faq, label, hash));
        }

        if (changed.Count > 0)
        {
            var vectors = await embeddings.EmbedAsync([.. changed.Select(c => c.Faq.Question)], cancellationToken);
            encoder.Observe(vectors);
            for (var i = 0; i < changed.Count; i++)
            {
                var (faq, label, hash) = changed[i];
                var chunk = new StoredChunk(0, faq.Question, faq.Answer, 0, faq.Answer.Length, vectors.Vectors[i]);
                await store.ReplaceDocumentAsync(scope, new StoredDocument(
                    new DocumentState(faq.Id, hash, label, new Dictionary<string, string>(faq.Metadata, StringComparer.Ordinal), 1), [chunk]), cancellationToken);
                response.Upserted++;
            }
        }

        RetrievalTelemetry.Documents.Add(response.Upserted, new KeyValuePair<string, object?>("status", "indexed"));
        RetrievalTelemetry.Documents.Add(response.Unchanged, new KeyValuePair<string, object?>("status", "unchanged"));
        return response;
    }

    public async Task<MatchFaqResponse> MatchAsync(string tenant, MatchFaqRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            problems.Add(new Problem("query", "is required."));
        }
        else if (request.Query.Length > options.Value.Search.MaxQueryCharacters)
        {
            problems.Add(new Problem("query", $"has {request.Query.Length} characters; at most {options.Value.Search.MaxQueryCharacters}."));
        }

        if (request.MaxLabel != DataClass.Unspecified && !SensitivityLabels.IsDefined(request.MaxLabel))
        {
            problems.Add(new Problem("max_label", $"must be {SensitivityLabels.Expected}."));
        }

        ValidationFailedException.ThrowIfAny("The FAQ match", problems);
        var name = request.Collection.Length == 0 ? DefaultCollection : request.Collection;
        var scope = new CollectionScope(tenant, name);
        var collection = await collections.RequireAsync(scope, CollectionKind.Faq, cancellationToken);

        var embedded = await embeddings.EmbedAsync([request.Query], cancellationToken);
        var hits = await store.SearchVectorAsync(scope, embedded.Vectors[0], 1, new ChunkFilter(request.MaxLabel, new Dictionary<string, string>()), cancellationToken);
        var best = hits.Count > 0 ? hits[0] : null;
        var response = new MatchFaqResponse();
        var score = best is null ? 0 : FaqCalibration.Probability(best.Score);
        if (best is not null && score >= collection.Definition.FaqThreshold)
        {
            response.Match = new FaqMatch { Id = best.DocumentId, Question = best.Title, Answer = best.Text, Score = score, Label = best.Label, Collection = name };
        }

        RetrievalTelemetry.FaqMatches.Add(1, new KeyValuePair<string, object?>("result", response.Match is null ? "no_match" : "match"));
        return response;
    }

    private List<(Contracts.Retrieval.V1.Faq Faq, DataClass Label)> Validate(Google.Protobuf.Collections.RepeatedField<Contracts.Retrieval.V1.Faq> faqs)
    {
        var settings = options.Value;
        var problems = new List<Problem>();
        if (faqs.Count == 0)
        {
            problems.Add(new Problem("faqs", "must contain at least one question/answer pair."));
        }
        else if (faqs.Count > settings.Limits.MaxFaqsPerRequest)
        {
            throw new PayloadTooLargeException($"The request has {faqs.Count} FAQ pairs; at most {settings.Limits.MaxFaqsPerRequest} (Retrieval:Limits:MaxFaqsPerRequest).");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(Contracts.Retrieval.V1.Faq, DataClass)>();
        for (var i = 0; i < faqs.Count && problems.Count < 50; i++)
        {
            var faq = faqs[i];
            var field = $"faqs[{i}]";
            ResourceRules.CheckId(faq.Id, $"{field}.id", problems);
            if (faq.Id.Length > 0 && !ids.Add(faq.Id))
            {
                problems.Add(new Problem($"{field}.id", $"'{ResourceRules.Truncate(faq.Id)}' appears more than once in the request."));
            }

            CheckText(faq.Question, MaxQuestionCharacters, $"{field}.question", problems);
            CheckText(faq.Answer, MaxAnswerCharacters, $"{field}.answer", problems);
            var label = faq.Label == DataClass.Unspecified ? settings.ResolvedDefaultLabel : faq.Label;
            if (!SensitivityLabels.IsDefined(label))
            {
                problems.Add(new Problem($"{field}.label", $"must be {SensitivityLabels.Expected}."));
            }

            ResourceRules.CheckMetadata(faq.Metadata, settings.Limits.MaxMetadataEntries, $"{field}.metadata", problems);
            result.Add((faq, label));
        }

        ValidationFailedException.ThrowIfAny(faqs.Count == 1 ? "The FAQ pair" : "The FAQ pairs", problems);
        return result;
    }

    private static void CheckText(string text, int max, string field, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new Problem(field, "is required."));
        }
        else if (text.Length > max)
        {
            problems.Add(new Problem(field, $"has {text.Length} characters; at most {max}."));
        }
    }
}
