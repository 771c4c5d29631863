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
    /// <param name="Documents">Papers ingested.</param>
    /// <param name="Chunks">Chunks they made.</param>
    /// <param name="IngestSeconds">Ingestion time, end to end.</param>
    /// <param name="Tuning">Every fusion tried, on the tuning half of the questions.</param>
    /// <param name="Rankings">On the held-out half.</param>
    /// <param name="Best">The fusion with the best MRR@10 on the tuning half.</param>
    public sealed record Result(int Documents, int Chunks, double IngestSeconds, IReadOnlyList<RankingMetrics> Tuning, IReadOnlyList<RankingMetrics> Rankings, string Best);

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
        var search = stack.Options.Search;
        var weights = new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 };
        RankingMetrics[] Rankers() =>
        [
            new("BM25 alone"),
            new("vector alone"),
            new($"**hybrid as configured: {(search.Fusion == FusionMethod.RelativeScore ? $"relative score fusion, vector weight {search.VectorWeight:F1}" : $"reciprocal rank fusion, k = {search.RrfK}")}**"),
            new($"reciprocal rank fusion (k = {search.RrfK})"),
            .. weights.Select(w => new RankingMetrics($"relative score fusion, vector weight {w:F1}")),
        ];

        var tuning = Rankers();
        var heldOut = Rankers();
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            bool Relevant(ChunkHit hit) => hit.DocumentId == q.DocumentId && q.Answers.Any(a => Normalize(hit.Text).Contains(a, StringComparison.Ordinal));
            var keywordHits = await stack.Store.SearchKeywordAsync(scope, q.Question, 50, ChunkFilter.None, cancellationToken);
            var vectorHits = await stack.Store.SearchVectorAsync(scope, vectors[i], 50, ChunkFilter.None, cancellationToken);
            var rankers = i % 2 == 0 ? tuning : heldOut;
            rankers[0].Add(keywordHits.Select(Relevant));
            rankers[1].Add(vectorHits.Select(Relevant));
            rankers[2].Add(ScoreFusion.Fuse(search.Fusion, vectorHits, keywordHits, search.VectorWeight, search.RrfK).Select(f => Relevant(f.Chunk)));
            rankers[3].Add(ScoreFusion.ReciprocalRank(vectorHits, keywordHits, search.RrfK).Select(f => Relevant(f.Chunk)));
            for (var w = 0; w < weights.Length; w++)
            {
                rankers[4 + w].Add(ScoreFusion.RelativeScore(vectorHits, keywordHits, weights[w]).Select(f => Relevant(f.Chunk)));
            }
        }

        var best = tuning.Skip(3).MaxBy(r => r.MrrAt10)!.Name;
        return new Result(documents.Count, (int)chunks, ingestSeconds, tuning, heldOut, best);
    }

    private static string Normalize(string text) => ExtractedTextBuilder.Collapse(text).Trim().TrimEnd('.', ' ');
}
