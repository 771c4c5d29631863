using System.CommandLine;
using System.Text.Json;
using HybridAI.Cli.Data;
using HybridAI.Cli.Evaluation;
using HybridAI.Cli.Training;

namespace HybridAI.Cli.Commands;

/// <summary>
/// <c>hybridai eval guard</c>: with positives and negatives, AUROC and the true-positive rate at ≤ 1% false positives;
/// at the head's own operating threshold (0.5 for heads trained to an operating point, else the 1%-FPR threshold recorded
/// at training), the false-positive and true-positive rates.
/// </summary>
public static class EvalGuard
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var head = new Option<FileInfo?>("--head") { Description = "Head file (default: the shipped guard head)" };
        var positives = new Option<FileInfo[]>("--positives") { Description = "Attacks (repeatable)", AllowMultipleArgumentsPerToken = true };
        var negatives = new Option<FileInfo[]>("--negatives") { Description = "Benign prompts (repeatable)", AllowMultipleArgumentsPerToken = true };
        var where = new Option<string?>("--where") { Description = "Only rows with column=value (e.g. XSTest's label=safe)" };
        var holdout = new Option<double>("--holdout") { Description = "Evaluate only the held-out share `train guard --holdout` left out (same --seed)", DefaultValueFactory = _ => 0 };
        var dump = new Option<FileInfo?>("--scores-out") { Description = "Also write each prompt's score as CSV (prompt,attack,score), to see which prompts are missed or over-blocked" };
        var command = new Command("guard", "Prompt-injection / jailbreak detection quality.") { head, positives, negatives, where, holdout, dump };
        common.AddTo(command);
        command.SetAction((result, ct) =>
        {
            var filter = result.GetValue(where);
            var pos = (result.GetValue(positives) ?? []).SelectMany(f => Datasets.LoadPrompts(f.FullName, filter)).Distinct(StringComparer.Ordinal).ToArray();
            var neg = (result.GetValue(negatives) ?? []).SelectMany(f => Datasets.LoadPrompts(f.FullName, filter)).Distinct(StringComparer.Ordinal).Except(pos, StringComparer.Ordinal).ToArray();
            if (pos.Length + neg.Length == 0)
            {
                Console.Error.WriteLine("eval guard needs --positives, --negatives, or both.");
                return Task.FromResult(2);
            }

            if (result.GetValue(holdout) is > 0 and var share)
            {
                // The same split train guard used: classes stratified over positives then negatives, same seed.
                var labels = pos.Select(_ => 1).Concat(neg.Select(_ => 0)).ToArray();
                var (_, held) = Splits.Stratified(labels, share, result.GetValue(common.Seed));
                var all = pos.Concat(neg).ToArray();
                pos = held.Where(i => labels[i] == 1).Select(i => all[i]).ToArray();
                neg = held.Where(i => labels[i] == 0).Select(i => all[i]).ToArray();
            }

            using var encoder = common.OpenEncoder(result);
            var runner = new HeadRunner(result.GetValue(head)?.FullName ?? CommonOptions.DefaultHead("guard"), encoder);
            var texts = pos.Concat(neg).ToArray();
            var embeddings = encoder.Embed(texts, "prompts", ct);
            var scores = texts.Select((t, i) => runner.Positive(embeddings, i, t)).ToArray();
            var isPositive = texts.Select((_, i) => i < pos.Length).ToArray();
            // Heads trained to an operating point flag at 0.5, as the router does; older heads recorded their 1%-FPR threshold.
            if (result.GetValue(dump) is { } dumpFile)
            {
                using var writer = new StreamWriter(dumpFile.FullName);
                writer.WriteLine("prompt,attack,score");
                for (var i = 0; i < texts.Length; i++)
                {
                    var quoted = "\"" + texts[i].Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                    writer.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{quoted},{(isPositive[i] ? 1 : 0)},{scores[i]:R}"));
                }
            }

            var threshold = runner.TrainingNumber("operating_threshold") ?? runner.TrainingNumber("threshold_at_1pct_fpr") ?? 0.5;

            var json = new Dictionary<string, object> { ["n_pos"] = pos.Length, ["n_neg"] = neg.Length, ["threshold"] = Math.Round(threshold, 6) };
            var table = new ConsoleTable("metric", "value");
            table.Add("attacks", pos.Length);
            table.Add("benign", neg.Length);
            table.Add("head operating threshold (from training)", threshold);
            if (pos.Length > 0 && neg.Length > 0)
            {
                var auroc = Metrics.Auroc(scores, isPositive);
                var at = Metrics.TprAtFpr(scores, isPositive, 0.01);
                table.Add("AUROC", auroc);
                table.Add("TPR at <= 1% FPR (threshold chosen here)", at.Tpr);
                json["auroc"] = Math.Round(auroc, 4);
                json["tpr_at_1pct_fpr"] = Math.Round(at.Tpr, 4);
            }

            if (neg.Length > 0)
            {
                var fpr = Metrics.FlaggedRate(scores.Skip(pos.Length), threshold);
                table.Add("FPR at the head threshold", fpr);
                json["fpr"] = Math.Round(fpr, 4);
            }

            if (pos.Length > 0)
            {
                var tpr = Metrics.FlaggedRate(scores.Take(pos.Length), threshold);
                table.Add("TPR at the head threshold", tpr);
                json["tpr"] = Math.Round(tpr, 4);
            }

            Console.Write(table);
            Console.WriteLine(JsonSerializer.Serialize(json));
            return Task.FromResult(0);
        });
        return command;
    }
}
