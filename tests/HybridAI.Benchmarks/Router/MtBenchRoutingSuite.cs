using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HybridAI.Benchmarks.Harness;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Router.Policy;
using HybridAI.Router.Signals;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HybridAI.Benchmarks.Router;

/// <summary>
/// Where the default policy sends the MT-Bench questions and what quality that implies. Each question's first turn is
/// posted to the router's <c>/v1/hybrid/explain</c> (the real chain in process: the signals come from slm-inference's
/// shipped heads, the FAQ match from retrieval's sample knowledge base, the decision from the policy engine), which is
/// the route the router would take. The served route has no local generator, so the same signals are then re-decided
/// by the router's own <see cref="PolicyEngine"/> as if one were configured, and over a sweep of the needs-LLM
/// threshold. Quality: the weak model's MT-Bench score for SLM-routed questions, the strong model's for LLM-routed ones.
/// </summary>
public sealed class MtBenchRoutingSuite : IBenchmarkSuite
{
    private static readonly double[] Sweep = [0.05, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.25, 0.3, 0.35];

    public string Name => "router-mt-bench";

    public string Title => "Router: routing outcome on MT-Bench (default policy, shipped heads)";

    public async Task<BenchmarkSection> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var loadBefore = MachineLoad.Averages();
        var questions = MtBenchQuestion.Load();
        if (context.Quick)
        {
            questions = [.. questions.Where((_, i) => i % 4 == 0)];
        }

        List<Explained> explained;
        await using (var chain = await RouterChain.StartAsync(new Dictionary<string, string?>(), cancellationToken))
        {
            using var handler = new SocketsHttpHandler();
            using var router = chain.RouterClient(handler);
            explained = [];
            foreach (var q in questions)
            {
                explained.Add(await ExplainAsync(router, q, cancellationToken));
            }
        }

        var asServed = explained.Select(e => e.ServedTier).ToList();
        var reproduced = await DecideAsync(explained, new PolicyThresholds(), generator: false, cancellationToken);
        var agreement = asServed.Zip(reproduced).Count(p => p.First == p.Second);
        if (agreement != explained.Count)
        {
            throw new InvalidOperationException($"The in-process policy engine reproduced only {agreement} of {explained.Count} served decisions; the variants would not be the router's.");
        }

        var withGenerator = await DecideAsync(explained, new PolicyThresholds(), generator: true, cancellationToken);
        var unguarded = new[] { false, true }.ToDictionary(g => g, g => DecideAsync(explained, new PolicyThresholds(), g, cancellationToken, ignoreGuard: true));
        var sweep = new List<(double Threshold, List<Tier> Tiers, List<Tier> Unguarded)>();
        foreach (var t in Sweep)
        {
            sweep.Add((t, await DecideAsync(explained, new PolicyThresholds { NeedsLlm = t }, generator: true, cancellationToken),
                await DecideAsync(explained, new PolicyThresholds { NeedsLlm = t }, generator: true, cancellationToken, ignoreGuard: true)));
        }

        return new BenchmarkSection(Report(explained, asServed, withGenerator, await unguarded[false], await unguarded[true], sweep, loadBefore));
    }

    private static async Task<Explained> ExplainAsync(HttpClient router, MtBenchQuestion question, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new { model = "hybrid-auto", messages = new[] { new { role = "user", content = question.FirstTurn } } });
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await router.PostAsync(new Uri("/v1/hybrid/explain", UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"explain answered {(int)response.StatusCode} for question {question.Id}: {text}");
        }

        using var json = JsonDocument.Parse(text);
        var signals = json.RootElement.GetProperty("signals");
        var decision = json.RootElement.GetProperty("decision");
        var route = decision.GetProperty("route").GetString();
        var answer = decision.TryGetProperty("answer", out var a) ? a.GetString() : null;
        var tier = route switch
        {
            "blocked" => Tier.Blocked,
            "llm" => Tier.Llm,
            "slm" when answer == "faq" => Tier.SlmFaq,
            "slm" => Tier.SlmGenerate,
            _ => throw new InvalidOperationException($"unexpected route '{route}' for question {question.Id}: {text}"),
        };
        return new Explained(question, tier, decision.TryGetProperty("rule", out var rule) ? rule.GetString() ?? "" : "",
            signals.GetProperty("intent").GetString()!, signals.GetProperty("intent_confidence").GetDouble(),
            signals.GetProperty("needs_llm_probability").GetDouble(), signals.GetProperty("guard_score").GetDouble(),
            signals.GetProperty("data_class").GetString()!,
            signals.TryGetProperty("faq_score", out var faq) && faq.ValueKind == JsonValueKind.Number ? faq.GetDouble() : null,
            [.. signals.GetProperty("pii_findings").EnumerateArray().Select(f => f.GetProperty("type").GetString()!)]);
    }

    /// <summary>The router's policy engine over the signals explain returned, with these thresholds and generator availability.</summary>
    /// <remarks><paramref name="ignoreGuard"/> zeroes the guard score: what routing alone does, without the guard's blocks.</remarks>
    private static async Task<List<Tier>> DecideAsync(List<Explained> explained, PolicyThresholds thresholds, bool generator, CancellationToken cancellationToken,
        bool ignoreGuard = false)
    {
        using var provider = new PolicyProvider(new FixedOptions<PolicyOptions>(new PolicyOptions { Thresholds = thresholds }), NullLogger<PolicyProvider>.Instance);
        var engine = new PolicyEngine(provider);
        var tiers = new List<Tier>(explained.Count);
        foreach (var e in explained)
        {
            var signals = new RequestSignals
            {
                Intent = e.Intent,
                IntentConfidence = e.IntentConfidence,
                NeedsLlm = e.NeedsLlm,
                GuardScore = ignoreGuard ? 0 : e.Guard,
            };
            if (!DataClasses.TryParse(e.DataClass, out var dataClass))
            {
                throw new InvalidOperationException($"unknown data class '{e.DataClass}'");
            }

            signals.Raise(dataClass);
            var faq = e.FaqScore is { } score ? new FaqLookup(new FaqMatch { Score = score, Id = "faq" }, "faq") : null;
            var decision = await engine.DecideAsync(new PolicyInput
            {
                Signals = signals,
                Tenant = new TenantPolicy(),
                Model = "hybrid-auto",
                GeneratorAvailable = generator,
                SlmAllowed = true,
                HasTools = false,
                FaqLookup = _ => Task.FromResult(faq),
            }, cancellationToken);
            tiers.Add(decision.Route switch
            {
                RouteKind.Blocked => Tier.Blocked,
                RouteKind.Slm when decision.Answer == SlmAnswer.Faq => Tier.SlmFaq,
                RouteKind.Slm => Tier.SlmGenerate,
                _ => Tier.Llm,
            });
        }

        return tiers;
    }

    private static string Report(List<Explained> explained, List<Tier> asServed, List<Tier> withGenerator, List<Tier> unguardedServed,
        List<Tier> unguardedGenerator, List<(double Threshold, List<Tier> Tiers, List<Tier> Unguarded)> sweep, string loadBefore)
    {
        var n = explained.Count;
        var weak = explained.Average(e => e.Question.WeakScore);
        var strong = explained.Average(e => e.Question.StrongScore);
        var md = new StringBuilder();
        var served = Summarise(explained, asServed);
        var generated = Summarise(explained, withGenerator);
        var unblocked = Summarise(explained, unguardedGenerator);
        var decisive = explained.Where(e => e.Question.StrongScore != e.Question.WeakScore).ToList();
        var best = sweep.Select(x => (x.Threshold, Summarise(explained, x.Unguarded).Llm, Summarise(explained, x.Unguarded).Score))
            .MaxBy(x => x.Score - Random(x.Llm, n, weak, strong));
        md.AppendLine(CultureInfo.InvariantCulture, $"**In short.** As served (no local generator) the default policy sends {Pct(served.Llm, n)} of the questions to the LLM and blocks {Pct(served.Blocked, n)} (the guard scoring benign role-play and writing prompts as attacks, listed below): mean score {served.Score:0.00} against {strong:0.00} for all-LLM. With a local generator, the default needs-LLM threshold (0.3) sends {Pct(generated.Generate, n)} to it: the shipped needs-LLM head, trained on MMLU, scores every MT-Bench question between {explained.Min(e => e.NeedsLlm):0.00} and {explained.Max(e => e.NeedsLlm):0.00}, so 0.3 is above nearly all of them; without the guard's blocks that scores {unblocked.Score:0.00} for {Pct(unblocked.Llm, n)} of the LLM cost. The head's ranking is only weakly informative here (ROC AUC {Auc(decisive):0.00}); its best point in the sweep below is threshold {best.Threshold:0.00}: {Pct(best.Llm, n)} to the LLM for a score of {best.Score:0.00} (guard blocks aside), {best.Score - Random(best.Llm, n, weak, strong):+0.00;-0.00} against random routing at the same share.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"MT-Bench (lm-sys/RouteLLM `routing/mt_bench_question.jsonl` and `mt_bench_scores.jsonl`, Apache-2.0): {n} questions, 8 categories, each routed on its first turn; a routed question scores the mean of its two turns' GPT-4 judge scores (1–10) for the model its tier stands for: **SLM tier = {MtBenchQuestion.WeakModel}** (the weak model of the scores file), **LLM tier = {MtBenchQuestion.StrongModel}**. A blocked question counts as 1, the judge's minimum. The weak model is far larger than a CPU-sized local generator, so SLM-tier quality here is an upper bound for a small local model; the routing shares are the router's own.");
        md.AppendLine();
        md.AppendLine("Signals and the served decision come from the router's `/v1/hybrid/explain` over the real chain in process (slm-inference on the CPU with the shipped intent, needs-LLM and guard heads; retrieval with the sample knowledge base for the FAQ rule; default policy and thresholds: guard 0.5, needs-LLM 0.3, FAQ score 0.7). The rows with a local generator re-decide the same signals with the router's `PolicyEngine` (checked first to reproduce every served decision exactly), because the default policy sends low needs-LLM requests to the generator only when slm-inference has one, and none is configured here.");
        md.AppendLine();
        md.AppendLine("| policy | slm/faq | slm/generate | llm | blocked | mean score | vs all-LLM | share of the weak→strong gap | LLM calls (cost share vs all-LLM) | random routing at the same LLM share |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Row(md, "all-SLM (everything to the weak model)", explained, [.. explained.Select(_ => Tier.SlmGenerate)], weak, strong);
        Row(md, "all-LLM (everything to the strong model)", explained, [.. explained.Select(_ => Tier.Llm)], weak, strong);
        Row(md, "**default policy as served (no local generator)**", explained, asServed, weak, strong);
        Row(md, "**default policy, local generator available (needs-LLM < 0.3 → generator)**", explained, withGenerator, weak, strong);
        Row(md, "default policy as served, guard blocks let through (analysis only)", explained, unguardedServed, weak, strong);
        Row(md, "default policy with a generator, guard blocks let through (analysis only)", explained, unguardedGenerator, weak, strong);
        var oracle = explained.Select(e => e.Question.WeakScore >= e.Question.StrongScore ? Tier.SlmGenerate : Tier.Llm).ToList();
        Row(md, "oracle (weak model whenever it scores at least as well; upper bound)", explained, oracle, weak, strong);
        md.AppendLine();

        md.AppendLine("Needs-LLM threshold sweep (local generator available; a question goes to the generator when its needs-LLM probability is below the threshold, after the guard and FAQ rules):");
        md.AppendLine();
        md.AppendLine("| needs-LLM threshold | slm/generate | llm | blocked | mean score | vs all-LLM | share of the weak→strong gap | LLM calls (cost share) | random routing at the same LLM share | without guard blocks: llm | score | random at that share |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (threshold, tiers, open) in sweep)
        {
            var s = Summarise(explained, tiers);
            var u = Summarise(explained, open);
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {threshold:0.00}{(threshold == 0.3 ? " (default)" : "")} | {Pct(s.Generate, n)} | {Pct(s.Llm, n)} | {Pct(s.Blocked, n)} | {s.Score:0.00} | {s.Score / strong:P1} | {Gap(s.Score, weak, strong)} | {Pct(s.Llm, n)} | {Random(s.Llm, n, weak, strong):0.00} | {Pct(u.Llm, n)} | {u.Score:0.00} | {Random(u.Llm, n, weak, strong):0.00} |");
        }

        md.AppendLine();
        var blocked = explained.Where((_, i) => asServed[i] == Tier.Blocked).ToList();
        md.AppendLine(CultureInfo.InvariantCulture, $"Blocked by the guard (score ≥ 0.5): {(blocked.Count == 0 ? "none" : string.Join("; ", blocked.Select(e => $"#{e.Question.Id} {e.Question.Category} (guard {e.Guard:0.00}, weak/strong {e.Question.WeakScore:0.#}/{e.Question.StrongScore:0.#}): \"{Clip(e.Question.FirstTurn, 70)}\"")))}.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"How well the needs-LLM probability ranks the questions where the strong model does better: ROC AUC {Auc(decisive):0.00} over the {decisive.Count} questions whose two scores differ (0.5 is chance).");

        md.AppendLine();
        md.AppendLine("By category (default thresholds, local generator available):");
        md.AppendLine();
        md.AppendLine("| category | questions | mean needs-LLM | → LLM | weak mean score | strong mean score | routed mean score |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var group in explained.Select((e, i) => (e, Tier: withGenerator[i])).GroupBy(x => x.e.Question.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var items = group.ToList();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key} | {items.Count} | {items.Average(x => x.e.NeedsLlm):0.00} | {Pct(items.Count(x => x.Tier == Tier.Llm), items.Count)} | {items.Average(x => x.e.Question.WeakScore):0.00} | {items.Average(x => x.e.Question.StrongScore):0.00} | {items.Average(x => ScoreOf(x.e, x.Tier)):0.00} |");
        }

        md.AppendLine();
        var intents = explained.GroupBy(e => e.Intent).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
        var rules = explained.GroupBy(e => e.Rule).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
        var faqs = explained.Where(e => e.FaqScore is not null).ToList();
        md.AppendLine(CultureInfo.InvariantCulture, $"Signals over the {n} first turns: intents {string.Join(", ", intents)}; needs-LLM probability median {BenchStats.Median(explained.Select(e => e.NeedsLlm)):0.00} (min {explained.Min(e => e.NeedsLlm):0.00}, max {explained.Max(e => e.NeedsLlm):0.00}); guard score max {explained.Max(e => e.Guard):0.000}; data classes {string.Join(", ", explained.GroupBy(e => e.DataClass).Select(g => $"{g.Key} {g.Count()}"))} (PII findings by type: {string.Join(", ", explained.SelectMany(e => e.PiiTypes).GroupBy(t => t).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))}; confidential data is redacted before an external target, so it does not change the tier); FAQ lookups {faqs.Count} (best score {(faqs.Count == 0 ? "n/a" : faqs.Max(e => e.FaqScore!.Value).ToString("0.00", CultureInfo.InvariantCulture))}). Served rules: {string.Join(", ", rules)}.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Cost share counts LLM calls relative to all-LLM (SLM-tier answers cost no LLM tokens; MT-Bench answers are long, so output tokens dominate and the per-question LLM cost is roughly uniform). \"Share of the weak→strong gap\" is (score − all-SLM) / (all-LLM − all-SLM). \"Random routing\" is the expected score of sending the same share of questions to the LLM at random; a useful router beats it. Load average before the run: {loadBefore} (2 shared cores; this suite's figures do not depend on timing).");
        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, List<Explained> explained, List<Tier> tiers, double weak, double strong)
    {
        var n = explained.Count;
        var s = Summarise(explained, tiers);
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {Pct(s.Faq, n)} | {Pct(s.Generate, n)} | {Pct(s.Llm, n)} | {Pct(s.Blocked, n)} | {s.Score:0.00} | {s.Score / strong:P1} | {Gap(s.Score, weak, strong)} | {Pct(s.Llm, n)} | {Random(s.Llm, n, weak, strong):0.00} |");
    }

    private static (int Faq, int Generate, int Llm, int Blocked, double Score) Summarise(List<Explained> explained, List<Tier> tiers) =>
        (tiers.Count(t => t == Tier.SlmFaq), tiers.Count(t => t == Tier.SlmGenerate), tiers.Count(t => t == Tier.Llm), tiers.Count(t => t == Tier.Blocked),
            explained.Select((e, i) => ScoreOf(e, tiers[i])).Average());

    private static double ScoreOf(Explained e, Tier tier) => tier switch
    {
        Tier.Llm => e.Question.StrongScore,
        Tier.Blocked => 1,
        _ => e.Question.WeakScore,
    };

    private static string Clip(string text, int max) =>
        (text.Length <= max ? text : text[..max] + "…").Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal);

    /// <summary>Probability that a question the strong model wins gets a higher needs-LLM score than one the weak model wins.</summary>
    private static double Auc(List<Explained> decisive)
    {
        var positives = decisive.Where(e => e.Question.StrongScore > e.Question.WeakScore).Select(e => e.NeedsLlm).ToList();
        var negatives = decisive.Where(e => e.Question.StrongScore < e.Question.WeakScore).Select(e => e.NeedsLlm).ToList();
        if (positives.Count == 0 || negatives.Count == 0)
        {
            return double.NaN;
        }

        var wins = positives.Sum(p => negatives.Sum(q => p > q ? 1.0 : p == q ? 0.5 : 0));
        return wins / (positives.Count * (double)negatives.Count);
    }

    private static string Pct(int count, int n) => string.Create(CultureInfo.InvariantCulture, $"{count} ({100.0 * count / n:0}%)");

    private static string Gap(double score, double weak, double strong) =>
        string.Create(CultureInfo.InvariantCulture, $"{(score - weak) / (strong - weak):P0}");

    private static double Random(int llm, int n, double weak, double strong) => weak + ((strong - weak) * llm / n);

    private enum Tier
    {
        SlmFaq,
        SlmGenerate,
        Llm,
        Blocked,
    }

    private sealed record Explained(MtBenchQuestion Question, Tier ServedTier, string Rule, string Intent, double IntentConfidence, double NeedsLlm,
        double Guard, string DataClass, double? FaqScore, IReadOnlyList<string> PiiTypes);

    /// <summary>A fixed options monitor: the policy the router would hold after loading these options.</summary>
    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
