using System.Globalization;
using System.Text;
using HybridAI.Benchmarks.Encoder;
using HybridAI.Benchmarks.Harness;
using HybridAI.Retrieval.Faq;

namespace HybridAI.Benchmarks.Retrieval;

/// <summary>
/// Retrieval quality and speed: COVID-QA Recall@5 and MRR@10 for BM25, vector and hybrid search; FAQ matching Hit@k,
/// calibration and false-match rates; the embedded store's write throughput and search latency at 100,000 chunks against
/// a naive scalar scan. slm-inference runs as its own process (CPU), retrieval's components in this one.
/// </summary>
public sealed class RetrievalBenchmark : IBenchmarkSuite
{
    public string Name => "retrieval";

    public string Title => "Retrieval: COVID-QA hybrid search, FAQ matching, embedded store at 100,000 chunks";

    public async Task<BenchmarkSection> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var loadBefore = MachineLoad.Averages();
        await using var inference = await ServiceProcess.StartAsync(new Dictionary<string, string> { ["Inference:Device"] = "cpu" }, cancellationToken);
        using var stack = new RetrievalStack(inference.GrpcAddress);
        // Exploration runs: --chunk-tokens 128 changes Chunking:MaxTokens, --vector-weight 0.3 the configured fusion weight.
        if (context.Option("--chunk-tokens") is { } tokens)
        {
            stack.Options.Chunking.MaxTokens = int.Parse(tokens, CultureInfo.InvariantCulture);
        }

        if (context.Option("--vector-weight") is { } weight)
        {
            stack.Options.Search.VectorWeight = double.Parse(weight, CultureInfo.InvariantCulture);
        }


        Console.WriteLine("COVID-QA retrieval");
        var covid = await CovidQaEvaluation.RunAsync(stack, context.Quick, cancellationToken);
        Console.WriteLine("FAQ matching");
        var faq = await FaqEvaluation.RunAsync(stack, cancellationToken);
        Console.WriteLine("embedded store at scale");
        var chunks = context.Quick ? 10_000 : int.Parse(context.Option("--chunks") ?? "100000", CultureInfo.InvariantCulture);
        var scale = new List<ScaleEvaluation.Result>();
        for (var round = 0; round < (context.Quick ? 1 : context.Arguments.Contains("--skip-scale") ? 0 : 3); round++)
        {
            scale.Add(await ScaleEvaluation.RunAsync(chunks, context.Quick ? 100 : 500, cancellationToken));
            Console.WriteLine($"round {round + 1}: vector p50 {scale[^1].Vector.Percentile(50):F2} ms");
        }

        return new BenchmarkSection(Report(covid, faq, scale, loadBefore, MachineLoad.Averages()));
    }

    private static string Report(CovidQaEvaluation.Result covid, FaqEvaluation.Result faq, List<ScaleEvaluation.Result> scale, string loadBefore, string loadAfter)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Load average before/after: {loadBefore} / {loadAfter} (2 cores shared with other work: absolute times vary, ratios less). Embeddings: slm-inference (all-MiniLM-L6-v2, CPU) in its own process over gRPC; chunking 200 word pieces with 40 overlap.")
            .AppendLine()
            .AppendLine("### COVID-QA retrieval (deepset COVID-QA, Apache-2.0)")
            .AppendLine()
            .AppendLine(c, $"{covid.Documents} papers ingested as plain text into {covid.Chunks} chunks in {covid.IngestSeconds:F1} s (**{covid.Chunks / covid.IngestSeconds:F0} chunks/s** end to end: extraction, chunking, embedding of 200-word-piece chunks on the loaded CPU, storing). ")
            .AppendLine(c, $"{covid.Rankings[0].Queries + covid.Tuning[0].Queries} questions over all chunks, alternating into a tuning half (fusions compared) and a held-out half (reported). A chunk is relevant when it is from the question's paper and contains the gold answer span. Baseline: BM25 alone.")
            .AppendLine()
            .AppendLine(c, $"Tuning half, MRR@10 by fusion: {string.Join(", ", covid.Tuning.Skip(3).Select(r => $"{r.Name.Replace("relative score fusion, vector weight ", "w = ", StringComparison.Ordinal)}: {r.MrrAt10:F3}"))}; best: **{covid.Best}**.")
            .AppendLine()
            .AppendLine("Held-out half:")
            .AppendLine()
            .AppendLine("| ranking | Recall@1 | Recall@5 | MRR@10 | Recall@5 × BM25 | MRR@10 × BM25 |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        var bm25 = covid.Rankings[0];
        foreach (var r in covid.Rankings.Take(4).Concat(covid.Rankings.Where(r => r.Name == covid.Best && !covid.Rankings.Take(4).Contains(r))))
        {
            text.AppendLine(c, $"| {r.Name} | {r.RecallAt1:F3} | {r.RecallAt5:F3} | {r.MrrAt10:F3} | {r.RecallAt5 / bm25.RecallAt5:F2} | {r.MrrAt10 / bm25.MrrAt10:F2} |");
        }

        var hybrid = covid.Rankings[2];
        var beats = hybrid.RecallAt5 > covid.Rankings[0].RecallAt5 && hybrid.RecallAt5 > covid.Rankings[1].RecallAt5
            && hybrid.MrrAt10 > covid.Rankings[0].MrrAt10 && hybrid.MrrAt10 > covid.Rankings[1].MrrAt10;
        text.AppendLine()
            .AppendLine(c, $"Hybrid as configured beats both BM25 and vector alone on Recall@5 and MRR@10 (held-out half): **{(beats ? "yes" : "NO")}**.")
            .AppendLine()
            .AppendLine("### FAQ matching (COVID-QA FAQ and question pairs, Apache-2.0)")
            .AppendLine()
            .AppendLine(c, $"{faq.Faqs} FAQ pairs indexed. Question pairs alternate into a calibration half ({faq.CalibrationPairs}) and an evaluation half ({faq.EvaluationPairs}); every figure below is on the evaluation half. ")
            .AppendLine(c, $"Hit@k: {faq.EvaluationParaphrases} paraphrased questions whose partner question is in the FAQ; a hit is the partner among the top k.")
            .AppendLine()
            .AppendLine("| ranking | Hit@1 | Hit@5 | MRR@10 |")
            .AppendLine("|---|---:|---:|---:|");
        foreach (var r in faq.Rankings)
        {
            text.AppendLine(c, $"| {r.Name} | {r.RecallAt1:F3} | {r.RecallAt5:F3} | {r.MrrAt10:F3} |");
        }

        text.AppendLine()
            .AppendLine(c, $"Calibration p = σ(a·cos + b): shipped a = {FaqCalibration.Slope:F2}, b = {FaqCalibration.Intercept:F2}; refitted on this run's calibration half a = {faq.Fitted.Slope:F2}, b = {faq.Fitted.Intercept:F2}. ")
            .AppendLine(c, $"Brier score on the evaluation half: shipped {faq.BrierShipped:F3}, refitted {faq.BrierFitted:F3}, base rate alone {faq.BrierBase:F3} (lower is better).")
            .AppendLine()
            .AppendLine(c, $"Threshold chosen on the calibration half (the lowest accepting at most {FaqEvaluation.TargetFalseAccept:P0} of its non-similar pairs): **{faq.Chosen:F2}**; shipped default `Faq:DefaultThreshold` = {FaqCalibration.DefaultThreshold:F2}. ")
            .AppendLine(c, $"At each threshold on the calibrated score: pair-level acceptance of similar / non-similar pairs; MatchFaq-level: the right pair returned for a paraphrase, a non-similar pair's question returned (false match), and any match at all for a non-similar question.")
            .AppendLine()
            .AppendLine("| threshold | similar pairs accepted | non-similar pairs accepted | correct match (paraphrases) | false match (non-similar) | any match (non-similar) |")
            .AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var row in faq.Thresholds)
        {
            text.AppendLine(c, $"| {row.Threshold:F2}{(row.Threshold == FaqCalibration.DefaultThreshold ? " (default)" : "")}{(row.Threshold == faq.Chosen ? " (chosen)" : "")} | {row.PairTrueAccept:P1} | {row.PairFalseAccept:P1} | {row.CorrectMatch:P1} | {row.FalseMatch:P1} | {row.AnyMatchOnNonSimilar:P1} |");
        }

        if (scale.Count == 0)
        {
            return text.ToString();
        }

        var first = scale[0];
        double Median(Func<ScaleEvaluation.Result, double> f) => scale.Select(f).Order().ElementAt(scale.Count / 2);
        text.AppendLine()
            .AppendLine(c, $"### Embedded store at {first.Chunks:N0} chunks (synthetic: 384-d unit vectors, 60 Zipf-distributed words each)")
            .AppendLine()
            .AppendLine(c, $"{scale.Count} rounds, medians reported. Writes: documents of 20 chunks, each one fsync'd log record: **{Median(r => r.Chunks / r.WriteSeconds):N0} chunks/s** (store only; embedding is slm-inference's cost, see the COVID-QA figure and the encoder section). ")
            .AppendLine(c, $"Log size {first.WalBytes / (1024.0 * 1024):N0} MiB; reopening (replaying it, rebuilding the index) {Median(r => r.ReopenSeconds):F1} s.")
            .AppendLine()
            .AppendLine("| search (top 10, one caller, query embedding excluded) | p50 ms | p99 ms | p50 × naive scan |")
            .AppendLine("|---|---:|---:|---:|");
        var naive = Median(r => r.Naive.Percentile(50));
        foreach (var (name, pick) in new (string, Func<ScaleEvaluation.Result, LatencySamples>)[]
        {
            ("vector: exact SIMD scan of one contiguous buffer", r => r.Vector),
            ("keyword: BM25 over the inverted index", r => r.Keyword),
            ("hybrid: both (50 candidates each) + relative score fusion", r => r.Hybrid),
            ("baseline: scalar dot product per chunk array + full sort", r => r.Naive),
        })
        {
            var p50 = Median(r => pick(r).Percentile(50));
            text.AppendLine(c, $"| {name} | {p50:F2} | {Median(r => pick(r).Percentile(99)):F2} | {naive / p50:F1}× |");
        }

        return text.ToString();
    }

}
