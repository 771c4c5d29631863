using System.Diagnostics;
using System.Text.Json;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Ingestion.Extraction;
using HybridAI.Retrieval.Search;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Tenancy;
using HybridAI.Testing;

namespace HybridAI.Benchmarks.Retrieval;

/// <summary>
/// COVID-QA (deepset, Apache-2.0): its 98 papers ingested as plain text through retrieval's ingestion (chunked, embedded
/// by slm-inference, stored in the embedded store); each of its questions searched by BM25 alone, vector alone and
/// hybrid. A chunk is relevant when it belongs to the question's paper and contains the gold answer span
/// (whitespace-normalised).
/// </summary>
internal static class CovidQaEvaluation
{
    public sealed record Result(int Documents, int Chunks, double IngestSeconds, IReadOnlyList<RankingMetrics> Rankings);

    public static async Task<Result> RunAsync(RetrievalStack stack, bool quick, CancellationToken cancellationToken)
    {
        var documents = File.ReadLines(SharedDatasets.File("rag/covidqa_docs.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement).Select(e => (Id: e.GetProperty("id").GetString()!, Text: e.GetProperty("text").GetString()!)).ToList();
        var questions = File.ReadLines(SharedDatasets.File("rag/covidqa_qa.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (Question: e.GetProperty("question").GetString()!, DocumentId: e.GetProperty("doc_id").GetString()!,
                Answers: e.GetProperty("answers").EnumerateArray().Select(a => Normalize(a.GetProperty("text").GetString()!)).Where(a => a.Length > 0).ToList()))
            .Where(q => q.Answers.Count > 0).ToList();
        if (quick)
        {
            documents = documents.Take(15).ToList();
            var kept = documents.Select(d => d.Id).ToHashSet();
            questions = questions.Where(q => kept.Contains(q.DocumentId)).ToList();
        }

        var scope = new CollectionScope("bench", "covidqa");
        await stack.Collections.CreateAsync(scope.Tenant, new CreateCollectionRequest { Name = scope.Collection }, cancellationToken);
        var request = new IngestRequest { Collection = scope.Collection };
        request.Documents.AddRange(documents.Select(d => new Document { Id = d.Id, Text = d.Text, Format = HybridAI.Contracts.Retrieval.V1.DocumentFormat.Text }));
        var started = Stopwatch.StartNew();
        await foreach (var unused in stack.Ingestion.IngestAsync(scope.Tenant, request, cancellationToken))
        {
        }

        var ingestSeconds = started.Elapsed.TotalSeconds;
        var chunks = (await stack.Store.GetCollectionAsync(scope, cancellationToken))!.ChunkCount;
        Console.WriteLine($"covid-qa: {documents.Count} documents, {chunks} chunks in {ingestSeconds:F1} s; {questions.Count} questions");

        var vectors = (await stack.Embeddings.EmbedAsync([.. questions.Select(q => q.Question)], cancellationToken)).Vectors;
        var bm25 = new RankingMetrics("BM25 alone");
        var vector = new RankingMetrics("vector alone");
        var hybrid = new RankingMetrics($"**hybrid, as the service fuses: relative score fusion, vector weight {stack.Options.Search.VectorWeight:F1}**");
        var rrf = new RankingMetrics($"hybrid, reciprocal rank fusion (k = {stack.Options.Search.RrfK}), for comparison");
        var lowWeight = new RankingMetrics("hybrid, relative score fusion, vector weight 0.3, for comparison");
        var highWeight = new RankingMetrics("hybrid, relative score fusion, vector weight 0.7, for comparison");
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            bool Relevant(ChunkHit hit) => hit.DocumentId == q.DocumentId && q.Answers.Any(a => Normalize(hit.Text).Contains(a, StringComparison.Ordinal));
            var keywordHits = await stack.Store.SearchKeywordAsync(scope, q.Question, 50, ChunkFilter.None, cancellationToken);
            var vectorHits = await stack.Store.SearchVectorAsync(scope, vectors[i], 50, ChunkFilter.None, cancellationToken);
            bm25.Add(keywordHits.Select(Relevant));
            vector.Add(vectorHits.Select(Relevant));
            hybrid.Add(ScoreFusion.Fuse(stack.Options.Search.Fusion, vectorHits, keywordHits, stack.Options.Search.VectorWeight, stack.Options.Search.RrfK).Select(f => Relevant(f.Chunk)));
            rrf.Add(ScoreFusion.ReciprocalRank(vectorHits, keywordHits, stack.Options.Search.RrfK).Select(f => Relevant(f.Chunk)));
            lowWeight.Add(ScoreFusion.RelativeScore(vectorHits, keywordHits, 0.3).Select(f => Relevant(f.Chunk)));
            highWeight.Add(ScoreFusion.RelativeScore(vectorHits, keywordHits, 0.7).Select(f => Relevant(f.Chunk)));
        }

        return new Result(documents.Count, (int)chunks, ingestSeconds, [bm25, vector, hybrid, rrf, lowWeight, highWeight]);
    }

    private static string Normalize(string text) => ExtractedTextBuilder.Collapse(text).Trim().TrimEnd('.', ' ');
}
