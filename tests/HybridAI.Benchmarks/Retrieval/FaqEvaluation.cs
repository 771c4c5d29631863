using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Faq;
using HybridAI.Retrieval.Search;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Storage.Embedded;
using HybridAI.Retrieval.Tenancy;
using HybridAI.Testing;
using HybridAI.Testing.Data;

namespace HybridAI.Benchmarks.Retrieval;

/// <summary>
/// FAQ matching on COVID-QA's FAQ (covid_faq.csv, 213 pairs) with its question-pair file (244 paraphrases, 244
/// non-similar pairs). Pairs alternate into a calibration half (the logistic fit) and an evaluation half (every figure
/// reported). The paraphrase is the query; its partner question is the FAQ entry it should (or, for non-similar pairs,
/// should not) match.
/// </summary>
internal static class FaqEvaluation
{
    public sealed record ThresholdRow(double Threshold, double PairTrueAccept, double PairFalseAccept, double CorrectMatch, double FalseMatch, double AnyMatchOnNonSimilar);

    public sealed record Result(int Faqs, int CalibrationPairs, int EvaluationPairs, int EvaluationParaphrases, (double Slope, double Intercept) Fitted,
        IReadOnlyList<RankingMetrics> Rankings, double BrierShipped, double BrierFitted, double BrierBase, IReadOnlyList<ThresholdRow> Thresholds, double Chosen);

    /// <summary>The largest share of non-similar calibration pairs a threshold may accept.</summary>
    public const double TargetFalseAccept = 0.05;

    public static async Task<Result> RunAsync(RetrievalStack stack, CancellationToken cancellationToken)
    {
        var faqs = Csv.Read(SharedDatasets.File("rag/covid_faq.csv")).Select(r => (Question: r["question"].Trim(), Answer: r["answer"].Trim()))
            .Where(f => f.Question.Length > 0 && f.Answer.Length > 0).ToList();
        var pairs = Csv.Read(SharedDatasets.File("rag/covid_faq_question_pairs.csv"))
            .Select(r => (Faq: r["question_1"].Trim(), Query: r["question_2"].Trim(), Similar: r["similar"] == "1")).ToList();

        var scope = new CollectionScope("bench", "covid-faq");
        await stack.Collections.CreateAsync(scope.Tenant, new CreateCollectionRequest { Name = scope.Collection, Kind = CollectionKind.Faq }, cancellationToken);
        var upsert = new UpsertFaqsRequest { Collection = scope.Collection };
        upsert.Faqs.AddRange(faqs.Select((f, i) => new Contracts.Retrieval.V1.Faq { Id = $"faq-{i}", Question = f.Question, Answer = f.Answer[..Math.Min(f.Answer.Length, FaqService.MaxAnswerCharacters)], Label = DataClass.Public }));
        await stack.Faqs.UpsertAsync(scope.Tenant, upsert, cancellationToken);

        var texts = pairs.SelectMany(p => new[] { p.Faq, p.Query }).Distinct().ToList();
        var embedded = (await stack.Embeddings.EmbedAsync(texts, cancellationToken)).Vectors;
        var vectors = texts.Select((t, i) => (t, v: embedded[i])).ToDictionary(x => x.t, x => x.v);
        double Cosine(string a, string b) => VectorMath.Dot(vectors[a], vectors[b]);

        var calibration = pairs.Where((_, i) => i % 2 == 0).ToList();
        var evaluation = pairs.Where((_, i) => i % 2 == 1).ToList();
        var fitted = FaqCalibration.Fit([.. calibration.Select(p => (Cosine(p.Query, p.Faq), p.Similar))]);
        double FittedProbability(double cosine) => 1 / (1 + Math.Exp(-((fitted.Slope * cosine) + fitted.Intercept)));

        var inFaq = faqs.Select(f => f.Question).ToHashSet(StringComparer.Ordinal);
        var paraphrases = evaluation.Where(p => p.Similar && inFaq.Contains(p.Faq)).ToList();
        var vector = new RankingMetrics("vector (question embeddings), as MatchFaq ranks");
        var keyword = new RankingMetrics("BM25 over question and answer (baseline)");
        var hybrid = new RankingMetrics("hybrid (relative score fusion, as Search ranks)");
        foreach (var (faq, query, _) in paraphrases)
        {
            var v = await stack.Store.SearchVectorAsync(scope, vectors[query], 50, ChunkFilter.None, cancellationToken);
            var k = await stack.Store.SearchKeywordAsync(scope, query, 50, ChunkFilter.None, cancellationToken);
            vector.Add(v.Select(h => h.Title == faq));
            keyword.Add(k.Select(h => h.Title == faq));
            hybrid.Add(ScoreFusion.Fuse(stack.Options.Search.Fusion, v, k, stack.Options.Search.VectorWeight, stack.Options.Search.RrfK).Select(f => f.Chunk.Title == faq));
        }

        var top = new Dictionary<string, ChunkHit?>(StringComparer.Ordinal);
        foreach (var (_, query, _) in evaluation)
        {
            var hits = await stack.Store.SearchVectorAsync(scope, vectors[query], 1, ChunkFilter.None, cancellationToken);
            top[query] = hits.Count > 0 ? hits[0] : null;
        }

        // The threshold is chosen on the calibration half: the lowest (in steps of 0.05) accepting at most 5% of its non-similar pairs.
        var calibrationDifferent = calibration.Where(p => !p.Similar).ToList();
        var chosen = Enumerable.Range(1, 19).Select(i => i * 0.05)
            .First(t => calibrationDifferent.Count(p => FaqCalibration.Probability(Cosine(p.Query, p.Faq)) >= t) <= TargetFalseAccept * calibrationDifferent.Count);
        var rows = new List<ThresholdRow>();
        foreach (var threshold in new[] { 0.3, 0.5, 0.7, 0.8, 0.9, Math.Round(chosen, 2), FaqCalibration.DefaultThreshold }.Distinct().Order())
        {
            var similar = evaluation.Where(p => p.Similar).ToList();
            var different = evaluation.Where(p => !p.Similar).ToList();
            var usable = similar.Where(p => inFaq.Contains(p.Faq)).ToList();
            var differentInFaq = different.Where(p => inFaq.Contains(p.Faq)).ToList();
            bool Matches(string query, out ChunkHit? hit) => (hit = top[query]) is not null && FaqCalibration.Probability(hit.Score) >= threshold;
            rows.Add(new ThresholdRow(threshold,
                similar.Count(p => FaqCalibration.Probability(Cosine(p.Query, p.Faq)) >= threshold) / (double)similar.Count,
                different.Count(p => FaqCalibration.Probability(Cosine(p.Query, p.Faq)) >= threshold) / (double)different.Count,
                usable.Count(p => Matches(p.Query, out var hit) && hit!.Title == p.Faq) / (double)usable.Count,
                differentInFaq.Count(p => Matches(p.Query, out var hit) && hit!.Title == p.Faq) / (double)differentInFaq.Count,
                different.Count(p => Matches(p.Query, out _)) / (double)different.Count));
        }

        double Brier(Func<double, double> probability) => evaluation.Average(p => Math.Pow(probability(Cosine(p.Query, p.Faq)) - (p.Similar ? 1 : 0), 2));
        var baseRate = calibration.Count(p => p.Similar) / (double)calibration.Count;
        return new Result(faqs.Count, calibration.Count, evaluation.Count, paraphrases.Count, fitted, [vector, keyword, hybrid],
            Brier(FaqCalibration.Probability), Brier(FittedProbability), Brier(_ => baseRate), rows, Math.Round(chosen, 2));
    }
}
