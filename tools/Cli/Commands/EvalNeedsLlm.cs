using System.CommandLine;
using System.Text.Json;
using HybridAI.Cli.Data;
using HybridAI.Cli.Evaluation;
using HybridAI.Cli.Training;

namespace HybridAI.Cli.Commands;

/// <summary>
/// <c>hybridai eval needs-llm</c>: APGR and CPT(50%/80%) of the head against the no-training heuristic "longer
/// prompt → LLM" and random routing, on RouteLLM-style labels; or, with <c>--scores</c>, quality against the share
/// of LLM calls on MT-Bench.
/// </summary>
public static class EvalNeedsLlm
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var head = new Option<FileInfo?>("--head") { Description = "Head file (default: the shipped needs-llm head)" };
        var data = new Option<FileInfo>("--data") { Description = "JSONL {prompt, weak_correct, strong_correct[, subject]}, or MT-Bench questions with --scores", Required = true };
        var holdout = new Option<double>("--holdout-groups") { Description = "Evaluate only the subjects `train --holdout-groups` left out (same --seed)", DefaultValueFactory = _ => 0 };
        var scores = new Option<FileInfo?>("--scores") { Description = "MT-Bench judge scores JSONL {question_id, model, turn, score}" };
        var strong = new Option<string>("--strong-model") { DefaultValueFactory = _ => "gpt-4-1106-preview", Description = "MT-Bench: the large model" };
        var weak = new Option<string>("--weak-model") { DefaultValueFactory = _ => "mistralai/Mixtral-8x7B-Instruct-v0.1", Description = "MT-Bench: the small model" };
        var dump = new Option<FileInfo?>("--scores-out") { Description = "Also write each prompt's head score and outcomes as CSV (for plots and threshold choice)" };
        var chart = new Option<FileInfo?>("--chart") { Description = "Write the head's cost/quality curve as SVG, with APGR and the --threshold point marked" };
        var threshold = new Option<double>("--threshold") { Description = "The needs-LLM threshold to mark on the chart (default: the router's 0.3)", DefaultValueFactory = _ => 0.3 };
        var command = new Command("needs-llm", "Routing quality of the needs-llm head (APGR, CPT) against simple baselines.") { head, data, holdout, scores, strong, weak, dump, chart, threshold };
        common.AddTo(command);
        command.SetAction((result, ct) =>
        {
            using var encoder = common.OpenEncoder(result);
            var runner = new HeadRunner(result.GetValue(head)?.FullName ?? CommonOptions.DefaultHead("needs-llm"), encoder);
            var (prompts, weakQuality, strongQuality, description) = result.GetValue(scores) is { } scoreFile
                ? MtBench(result.GetValue(data)!.FullName, scoreFile.FullName, result.GetValue(weak)!, result.GetValue(strong)!)
                : Labels(result.GetValue(data)!.FullName, result.GetValue(holdout), result.GetValue(common.Seed));
            var embeddings = encoder.Embed(prompts, "prompts", ct);
            var headScores = prompts.Select((p, i) => runner.Positive(embeddings, i, p)).ToArray();
            var lengthScores = prompts.Select(p => (double)p.Length).ToArray();

            if (result.GetValue(dump) is { } dumpFile)
            {
                using var writer = new StreamWriter(dumpFile.FullName);
                writer.WriteLine("index,score,weak,strong,length");
                for (var i = 0; i < prompts.Length; i++)
                {
                    writer.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i},{headScores[i]:R},{weakQuality[i]},{strongQuality[i]},{prompts[i].Length}"));
                }
            }

            var headCurve = RoutingMetrics.Curve(headScores, weakQuality, strongQuality);
            var lengthCurve = RoutingMetrics.Curve(lengthScores, weakQuality, strongQuality);
            Console.WriteLine($"{description}: {prompts.Length} prompts; weak quality {weakQuality.Average():F3}, strong quality {strongQuality.Average():F3}");
            var table = new ConsoleTable("router", "APGR", "CPT(50%)", "CPT(80%)", "quality@25%", "quality@50%", "quality@75%");
            foreach (var (name, curve) in new[] { ("needs-llm head", headCurve), ("longer prompt -> LLM", lengthCurve) })
            {
                table.Add(name, RoutingMetrics.Apgr(curve), RoutingMetrics.Cpt(curve, 0.5), RoutingMetrics.Cpt(curve, 0.8),
                    RoutingMetrics.QualityAt(curve, 0.25), RoutingMetrics.QualityAt(curve, 0.5), RoutingMetrics.QualityAt(curve, 0.75));
            }

            table.Add("random (expected)", 0.5, 0.5, 0.8, Mix(weakQuality, strongQuality, 0.25), Mix(weakQuality, strongQuality, 0.5), Mix(weakQuality, strongQuality, 0.75));
            Console.Write(table);
            if (result.GetValue(chart) is { } chartFile)
            {
                File.WriteAllText(chartFile.FullName, RoutingChart.ToSvg(description, headCurve, headScores, weakQuality, strongQuality, result.GetValue(threshold)));
                Console.WriteLine($"wrote {chartFile.FullName}");
            }

            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["apgr"] = Math.Round(RoutingMetrics.Apgr(headCurve), 4),
                ["cpt50"] = Math.Round(RoutingMetrics.Cpt(headCurve, 0.5), 4),
                ["cpt80"] = Math.Round(RoutingMetrics.Cpt(headCurve, 0.8), 4),
                ["length_apgr"] = Math.Round(RoutingMetrics.Apgr(lengthCurve), 4),
                ["n"] = prompts.Length,
            }));
            return Task.FromResult(0);
        });
        return command;
    }

    private static double Mix(double[] weak, double[] strong, double share) => ((1 - share) * weak.Average()) + (share * strong.Average());

    private static (string[] Prompts, double[] Weak, double[] Strong, string Description) Labels(string path, double holdout, int seed)
    {
        var rows = Datasets.LoadRouting(path);
        var description = "all prompts";
        if (holdout > 0)
        {
            var (_, held, groups) = Splits.ByGroup(rows.Select(r => r.Subject ?? "").ToArray(), holdout, seed);
            rows = FeatureMatrix.Take(rows, held).ToList();
            description = $"held-out subjects ({groups.Length}: {string.Join(", ", groups.Take(6))}{(groups.Length > 6 ? ", …" : "")})";
        }

        return (rows.Select(r => r.Prompt).ToArray(), rows.Select(r => r.WeakCorrect ? 1.0 : 0).ToArray(),
            rows.Select(r => r.StrongCorrect ? 1.0 : 0).ToArray(), description);
    }

    // One item per question and turn; the routed text is the conversation so far (the turns up to this one).
    private static (string[] Prompts, double[] Weak, double[] Strong, string Description) MtBench(string questions, string scores, string weakModel, string strongModel)
    {
        var score = new Dictionary<(long Id, string Model, long Turn), double>();
        foreach (var record in TabularReader.Read(scores))
        {
            var id = long.Parse(record.Text("question_id") ?? throw new DataFormatException(scores, record.Line, "missing question_id"), System.Globalization.CultureInfo.InvariantCulture);
            var turn = long.Parse(record.Text("turn") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
            var model = record.Text("model") ?? throw new DataFormatException(scores, record.Line, "missing model");
            score[(id, model, turn)] = double.Parse(record.Text("score") ?? throw new DataFormatException(scores, record.Line, "missing score"), System.Globalization.CultureInfo.InvariantCulture);
        }

        var prompts = new List<string>();
        var weak = new List<double>();
        var strong = new List<double>();
        foreach (var record in TabularReader.Read(questions))
        {
            var id = long.Parse(record.Text("question_id") ?? throw new DataFormatException(questions, record.Line, "missing question_id"), System.Globalization.CultureInfo.InvariantCulture);
            if (!record.Fields.TryGetValue("turns", out var turns) || turns.ValueKind != JsonValueKind.Array)
            {
                throw new DataFormatException(questions, record.Line, "expected MT-Bench rows {question_id, turns: [...]}");
            }

            var conversation = new List<string>();
            var turn = 0;
            foreach (var text in turns.EnumerateArray())
            {
                turn++;
                conversation.Add(text.GetString() ?? "");
                if (score.TryGetValue((id, weakModel, turn), out var w) && score.TryGetValue((id, strongModel, turn), out var s))
                {
                    prompts.Add(string.Join("\n\n", conversation));
                    weak.Add(w);
                    strong.Add(s);
                }
            }
        }

        if (prompts.Count == 0)
        {
            throw new DataFormatException(scores, 0, $"no scores for both '{weakModel}' and '{strongModel}'");
        }

        return (prompts.ToArray(), weak.ToArray(), strong.ToArray(), $"MT-Bench turns scored for {weakModel} and {strongModel}");
    }
}
