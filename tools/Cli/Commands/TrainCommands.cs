using System.CommandLine;
using System.Security.Cryptography;
using HybridAI.Cli.Data;
using HybridAI.Cli.Embedding;
using HybridAI.Cli.Evaluation;
using HybridAI.Cli.Training;
using HybridAI.SlmInference.Core.Heads;

namespace HybridAI.Cli.Commands;

/// <summary><c>hybridai train intent | needs-llm | guard</c>: heads over the shipped encoder's embeddings.</summary>
public static class TrainCommands
{
    private static readonly double[] L2Grid = [1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4];

    public static Command Create()
    {
        var train = new Command("train", "Train a classification head that slm-inference loads.");
        train.Subcommands.Add(Intent());
        train.Subcommands.Add(NeedsLlm());
        train.Subcommands.Add(Guard());
        return train;
    }

    private static Command Intent()
    {
        var common = new CommonOptions();
        var data = new Option<FileInfo>("--data") { Description = "CSV text,label or JSONL {text,label}", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Head file to write (*.head.json)", Required = true };
        var name = new Option<string>("--name") { Description = "Head name", DefaultValueFactory = _ => "intent" };
        var unknown = new Option<double?>("--unknown-below") { Description = "Answer 'unknown' when the calibrated confidence is below this (0-1)" };
        var balance = new Option<bool>("--balance-classes") { Description = "Weight classes inversely to their frequency (for traffic where intents are about equally likely)" };
        var l2 = new Option<double?>("--l2") { Description = "L2 regularisation (default: chosen on a held-out split from a grid)" };
        var command = new Command("intent", "Multinomial logistic regression over embeddings, calibrated by temperature.") { data, output, name, unknown, balance, l2 };
        common.AddTo(command, training: true);
        command.SetAction(async (result, ct) =>
        {
            var rows = Datasets.LoadLabelled(result.GetValue(data)!.FullName);
            var labels = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
            var y = rows.Select(r => index[r.Label]).ToArray();
            Progress.Note($"{rows.Count} examples, {labels.Length} labels");

            using var encoder = common.OpenEncoder(result);
            var pooling = result.GetValue(common.Pooling);
            var x = encoder.Embed(rows.Select(r => r.Text).ToArray(), "texts", ct).For(pooling);
            var weights = result.GetValue(balance)
                ? Enumerable.Range(0, labels.Length).Select(c => y.Length / (labels.Length * (double)y.Count(v => v == c))).ToArray()
                : null;
            var (model, report) = Fit(x, y, labels.Length, weights, result.GetValue(common.Seed), ct, grid: result.GetValue(l2) is { } fixedL2 ? [fixedL2] : null);
            var threshold = result.GetValue(unknown);
            if (threshold is not (null or (> 0 and < 1)))
            {
                throw new ArgumentException("--unknown-below must be between 0 and 1.");
            }

            var head = HeadBuilder.Softmax(result.GetValue(name)!, labels, model, encoder.Name, encoder.Sha256, encoder.Dimensions, pooling, null,
                threshold is { } t ? new HeadUnknown(t) : null, Training(result.GetValue(data)!, rows.Count, report, result.GetValue(common.Seed)));
            await WriteAsync(head, result.GetValue(output)!);
            return 0;
        });
        return command;
    }

    private static Command NeedsLlm()
    {
        var common = new CommonOptions();
        var data = new Option<FileInfo>("--data") { Description = "JSONL {prompt, weak_correct, strong_correct[, subject]}", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Head file to write (*.head.json)", Required = true };
        var holdout = new Option<double>("--holdout-groups") { Description = "Leave out this share of subjects (for an honest eval on the rest with the same --seed)", DefaultValueFactory = _ => 0 };
        var target = new Option<string>("--target")
        {
            Description = "What the head predicts: 'strong-only' (only the large model is right), 'weak-wrong' (the small model is wrong) or " +
                "'gain' (ranks by P(large model right) − P(small model right), calibrated to P(only the large model is right); better across " +
                "MMLU subjects, worse on open-ended chat: docs/signals.md)",
            DefaultValueFactory = _ => "strong-only",
        };
        target.AcceptOnlyFromAmong("strong-only", "weak-wrong", "gain");
        var topicInvariant = new Option<bool>("--topic-invariant") { Description = "Project out the directions that separate subjects, so the head transfers to unseen topics" };
        var noLength = new Option<bool>("--no-length-term") { Description = "gain: do not add the prompt's length to the gain (the weight is otherwise chosen by cross-validation, 0 included)" };
        var command = new Command("needs-llm", "Probability that a prompt needs the large model, from its embedding and text features.") { data, output, holdout, target, topicInvariant, noLength };
        common.AddTo(command, training: true);
        command.SetAction(async (result, ct) =>
        {
            var seed = result.GetValue(common.Seed);
            var all = Datasets.LoadRouting(result.GetValue(data)!.FullName);
            var rows = all;
            var share = result.GetValue(holdout);
            if (share > 0)
            {
                var (trainIdx, _, held) = Splits.ByGroup(all.Select(r => r.Subject ?? "").ToArray(), share, seed);
                rows = FeatureMatrix.Take(all, trainIdx).ToList();
                Progress.Note($"holding out {held.Length} subjects ({all.Count - rows.Count} prompts): {string.Join(", ", held)}");
            }

            Progress.Note($"{rows.Count} prompts, {rows.Count(r => r.NeedsLlm)} need the large model");
            using var encoder = common.OpenEncoder(result);
            var prompts = rows.Select(r => r.Prompt).ToArray();
            var pooling = result.GetValue(common.Pooling);
            var embeddings = encoder.Embed(prompts, "prompts", ct).For(pooling);
            var features = FeatureMatrix.FitFeatures(prompts, TextFeatures.Names);
            var x = FeatureMatrix.Build(embeddings, prompts, features);
            var subjects = rows.Select(r => r.Subject ?? "").ToArray();
            var grouped = subjects.Distinct(StringComparer.Ordinal).Count() >= 6 ? subjects : null;
            if (result.GetValue(topicInvariant))
            {
                var removed = TopicProjection.Apply(x, subjects, embeddings[0].Length);
                Progress.Note($"projected out {removed} topic directions");
            }

            var targetName = result.GetValue(target)!;
            HeadFile head;
            if (targetName == "gain")
            {
                int? lengthColumn = result.GetValue(noLength) ? null : embeddings[0].Length + TextFeatures.Names.ToList().IndexOf(TextFeatures.LogLength);
                var fit = GainTraining.Fit(x, rows.Select(r => r.WeakCorrect).ToArray(), rows.Select(r => r.StrongCorrect).ToArray(), grouped, lengthColumn, seed, ct);
                head = HeadBuilder.Gain("needs-llm", "slm", "llm", fit, lengthColumn, encoder.Name, encoder.Sha256, encoder.Dimensions, pooling, features,
                    Training(result.GetValue(data)!, rows.Count, seed, ("holdout_groups", share), ("target", targetName), ("l2", fit.Report.L2),
                        ("length_weight", fit.Report.LengthWeight), ("length_beta", fit.Report.Beta), ("cv_folds", fit.Report.Folds),
                        ("cv_repeats", fit.Report.Repeats), ("cv_by_subject", fit.Report.ByGroup),
                        ("cv_apgr", fit.Report.CrossValidatedApgr), ("calibration_slope", fit.Slope), ("calibration_intercept", fit.Intercept)));
            }
            else
            {
                var weakWrong = targetName == "weak-wrong";
                var labels = rows.Select(r => (weakWrong ? !r.WeakCorrect : r.NeedsLlm) ? 1 : 0).ToArray();
                var (model, report) = Fit(x, labels, 2, null, seed, ct, rankMetric: true, groups: grouped);
                head = HeadBuilder.Sigmoid("needs-llm", "slm", "llm", model, encoder.Name, encoder.Sha256, encoder.Dimensions, pooling, features,
                    Training(result.GetValue(data)!, rows.Count, report, seed, ("holdout_groups", share), ("target", targetName)));
            }

            await WriteAsync(head, result.GetValue(output)!);
            return 0;
        });
        return command;
    }

    private static Command Guard()
    {
        var common = new CommonOptions();
        var positives = new Option<FileInfo[]>("--positives") { Description = "Attacks: JSONL {prompt|text} or CSV with a prompt|text column (repeatable)", Required = true, AllowMultipleArgumentsPerToken = true };
        var negatives = new Option<FileInfo[]>("--negatives") { Description = "Benign traffic, same formats (repeatable)", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<FileInfo>("--out") { Description = "Head file to write (*.head.json)", Required = true };
        var holdout = new Option<double>("--holdout") { Description = "Share of each class held out to pick the threshold at 1% FPR", DefaultValueFactory = _ => 0.2 };
        var keepOut = new Option<bool>("--keep-holdout-out") { Description = "Do not retrain on the hold-out at the end, so `eval guard --holdout` measures unseen prompts" };
        var operatingFpr = new Option<double>("--operating-fpr")
        {
            Description = "False-positive rate on the hold-out's benign prompts that the head's 0.5 point is shifted to (the router blocks at 0.5)",
            DefaultValueFactory = _ => 0.005,
        };
        var l2 = new Option<double?>("--l2") { Description = "L2 regularisation (default: chosen by cross-validated AUROC from a grid)" };
        var command = new Command("guard", "Prompt-injection / jailbreak head: embedding + text features, class-balanced, sigmoid, 0.5 at the operating point.")
        {
            positives, negatives, output, holdout, keepOut, operatingFpr, l2,
        };
        common.AddTo(command, training: true);
        command.SetAction(async (result, ct) =>
        {
            var seed = result.GetValue(common.Seed);
            var pos = result.GetValue(positives)!.SelectMany(f => Datasets.LoadPrompts(f.FullName)).Distinct(StringComparer.Ordinal).ToArray();
            var neg = result.GetValue(negatives)!.SelectMany(f => Datasets.LoadPrompts(f.FullName)).Distinct(StringComparer.Ordinal).Except(pos, StringComparer.Ordinal).ToArray();
            var texts = pos.Concat(neg).ToArray();
            var y = pos.Select(_ => 1).Concat(neg.Select(_ => 0)).ToArray();
            Progress.Note($"{pos.Length} attacks, {neg.Length} benign prompts");

            using var encoder = common.OpenEncoder(result);
            var pooling = result.GetValue(common.Pooling);
            var embeddings = encoder.Embed(texts, "prompts", ct).For(pooling);
            var features = FeatureMatrix.FitFeatures(texts, TextFeatures.Names);
            var x = FeatureMatrix.Build(embeddings, texts, features);
            var fpr = result.GetValue(operatingFpr);
            if (fpr is not (> 0 and < 0.5))
            {
                throw new ArgumentException("--operating-fpr must be above 0 and below 0.5.");
            }

            var weights = new[] { texts.Length / (2.0 * neg.Length), texts.Length / (2.0 * pos.Length) };
            var (model, report) = Fit(x, y, 2, weights, seed, ct, rankMetric: true, holdoutShare: result.GetValue(holdout),
                finalOnHoldoutTrainOnly: result.GetValue(keepOut), operatingFpr: fpr, grid: result.GetValue(l2) is { } fixedL2 ? [fixedL2] : null);
            var head = HeadBuilder.Sigmoid("guard", "benign", "attack", model, encoder.Name, encoder.Sha256, encoder.Dimensions, pooling, features,
                Training(result.GetValue(positives)![0], texts.Length, report, seed,
                    ("positives", result.GetValue(positives)!.Select(f => f.Name).ToArray()),
                    ("negatives", result.GetValue(negatives)!.Select(f => f.Name).ToArray()),
                    ("attacks", pos.Length), ("benign", neg.Length), ("operating_fpr", fpr), ("operating_threshold", 0.5),
                    ("bias_shift", report.BiasShift), ("threshold_before_shift", report.ThresholdBeforeShift),
                    ("holdout_fpr_at_operating_threshold", report.FprAtOperatingThreshold)));
            await WriteAsync(head, result.GetValue(output)!);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Fit report: chosen regularisation, temperature and held-out figures; for a binary head fitted to an operating
    /// point, what was added to the positive class's bias, the threshold before that shift and the false-positive rate at 0.5.
    /// </summary>
    internal sealed record FitReport(double L2, double Temperature, double HoldoutAccuracy, double? HoldoutAuroc, double? ThresholdAt1PctFpr, double? TprAt1PctFpr,
        double? BiasShift = null, double? ThresholdBeforeShift = null, double? FprAtOperatingThreshold = null);

    /// <summary>
    /// Picks L2 by stratified k-fold cross-validation (accuracy, or AUROC for binary heads), fits the temperature on a
    /// stratified hold-out, then retrains on all data with that L2 and keeps the temperature. With
    /// <paramref name="operatingFpr"/> (binary heads), the bias is then shifted so that the score at which that share of
    /// the hold-out's negatives is flagged becomes exactly 0.5: the head's natural threshold is its operating point.
    /// </summary>
    internal static (LinearModel Model, FitReport Report) Fit(float[][] x, int[] y, int classes, double[]? classWeights, int seed,
        CancellationToken ct, bool rankMetric = false, double holdoutShare = 0.1, double[]? grid = null, int folds = 3, string[]? groups = null,
        bool finalOnHoldoutTrainOnly = false, double? operatingFpr = null)
    {
        var candidates = new List<double>(grid ?? L2Grid);
        var chosenL2 = candidates[0];
        if (candidates.Count > 1)
        {
            // With groups (MMLU subjects), whole groups go to one fold: the score then measures transfer to unseen topics.
            var foldOf = groups is null ? FoldAssignment(y, folds, seed) : GroupFoldAssignment(groups, folds, seed);
            var scores = new Dictionary<double, double>();
            double CrossValidate(double l2)
            {
                var total = 0.0;
                for (var fold = 0; fold < folds; fold++)
                {
                    var trainIdx = Enumerable.Range(0, y.Length).Where(i => foldOf[i] != fold).ToArray();
                    var testIdx = Enumerable.Range(0, y.Length).Where(i => foldOf[i] == fold).ToArray();
                    var model = SoftmaxRegression.Train(FeatureMatrix.Take(x, trainIdx), FeatureMatrix.Take(y, trainIdx), classes,
                        new SoftmaxRegression.Settings(l2, ClassWeights: classWeights), cancellationToken: ct);
                    total += Score(model, FeatureMatrix.Take(x, testIdx), FeatureMatrix.Take(y, testIdx), rankMetric);
                }

                Progress.Note($"  l2 {l2:G2}: {folds}-fold {(rankMetric ? "AUROC" : "accuracy")} {total / folds:F4}");
                return total / folds;
            }

            foreach (var l2 in candidates)
            {
                scores[l2] = CrossValidate(l2);
            }

            // When the best value sits at an end of the grid, keep going that way (×3 per step) while it improves.
            for (var extra = 0; extra < 4; extra++)
            {
                var best = scores.MaxBy(kv => kv.Value).Key;
                var next = best == scores.Keys.Max() ? best * 3 : best == scores.Keys.Min() ? best / 3 : double.NaN;
                if (double.IsNaN(next) || next > 10 || next < 1e-9)
                {
                    break;
                }

                scores[next] = CrossValidate(next);
                if (scores[next] <= scores[best])
                {
                    break;
                }
            }

            chosenL2 = scores.MaxBy(kv => kv.Value).Key;
        }

        var (holdTrain, holdIdx) = Splits.Stratified(y, holdoutShare, seed);
        var xHold = FeatureMatrix.Take(x, holdIdx);
        var yHold = FeatureMatrix.Take(y, holdIdx);
        var calibration = SoftmaxRegression.Train(FeatureMatrix.Take(x, holdTrain), FeatureMatrix.Take(y, holdTrain), classes,
            new SoftmaxRegression.Settings(chosenL2, ClassWeights: classWeights), cancellationToken: ct);
        var temperature = SoftmaxRegression.FitTemperature(calibration, xHold, yHold);
        calibration.Temperature = temperature;
        double? threshold = null, tpr = null, auroc = null, shift = null, rawThreshold = null, operatingFprMeasured = null;
        if (classes == 2)
        {
            var positive = yHold.Select(v => v == 1).ToArray();
            var scores = Positives(calibration, xHold);
            auroc = Metrics.Auroc(scores, positive);
            if (operatingFpr is { } target)
            {
                // Class weighting balances the loss, but on separable data it leaves the decision point wherever the
                // unregularised bias lands, far from where the negatives end. Shifting the logit so that the hold-out's
                // target-FPR threshold maps to 0.5 makes 0.5 mean "the operating point", for the router and any reader.
                rawThreshold = Metrics.TprAtFpr(scores, positive, target).Threshold;
                shift = -temperature * Logit(rawThreshold.Value);
                calibration.Bias[1] += (float)shift.Value;
                scores = Positives(calibration, xHold);
                operatingFprMeasured = Metrics.FlaggedRate(scores.Where((_, i) => !positive[i]), 0.5);
                Progress.Note($"operating point: {target:P1} of held-out negatives at {rawThreshold:G4}, shifted to 0.5 (bias {shift.Value:+0.000;-0.000})");
            }

            var at = Metrics.TprAtFpr(scores, positive, 0.01);
            (threshold, tpr) = (at.Threshold, at.Tpr);
        }

        var holdAccuracy = Accuracy(calibration, xHold, yHold);
        if (finalOnHoldoutTrainOnly)
        {
            Progress.Note($"chosen l2 {chosenL2:G2}, temperature {temperature:F3}, held-out accuracy {holdAccuracy:F4}; the hold-out stays unseen");
            return (calibration, new FitReport(chosenL2, temperature, holdAccuracy, auroc, threshold, tpr, shift, rawThreshold, operatingFprMeasured));
        }

        Progress.Note($"chosen l2 {chosenL2:G2}, temperature {temperature:F3}, held-out accuracy {holdAccuracy:F4}; retraining on all {x.Length} examples");
        var final = SoftmaxRegression.Train(x, y, classes, new SoftmaxRegression.Settings(chosenL2, ClassWeights: classWeights),
            (i, loss) => { if (i % 25 == 0) { Progress.Note($"  iteration {i}: loss {loss:F5}"); } }, ct);
        final.Temperature = temperature;
        if (shift is { } s)
        {
            // The retrained model keeps the calibration model's temperature, and its shift with it.
            final.Bias[1] += (float)s;
        }

        return (final, new FitReport(chosenL2, temperature, holdAccuracy, auroc, threshold, tpr, shift, rawThreshold, operatingFprMeasured));
    }

    /// <summary>The log-odds of a probability, clamped away from 0 and 1 so a saturated threshold stays finite.</summary>
    internal static double Logit(double p)
    {
        var q = Math.Clamp(p, 1e-12, 1 - 1e-12);
        return Math.Log(q / (1 - q));
    }

    private static double Score(LinearModel model, float[][] x, int[] y, bool rankMetric) =>
        rankMetric ? Metrics.Auroc(Positives(model, x), y.Select(v => v == 1).ToArray()) : Accuracy(model, x, y);

    /// <summary>Fold of each example when whole groups are dealt round-robin to folds after a seeded shuffle.</summary>
    private static int[] GroupFoldAssignment(string[] groups, int folds, int seed)
    {
        var distinct = groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(distinct);
        var foldOfGroup = distinct.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => p.i % folds, StringComparer.Ordinal);
        return groups.Select(g => foldOfGroup[g]).ToArray();
    }

    /// <summary>Stratified fold of each example (classes dealt round-robin after a seeded shuffle).</summary>
    private static int[] FoldAssignment(int[] y, int folds, int seed)
    {
        var random = new Random(seed);
        var fold = new int[y.Length];
        foreach (var group in Enumerable.Range(0, y.Length).GroupBy(i => y[i]).OrderBy(g => g.Key))
        {
            var items = group.ToArray();
            random.Shuffle(items);
            for (var k = 0; k < items.Length; k++)
            {
                fold[items[k]] = k % folds;
            }
        }

        return fold;
    }

    private static double Accuracy(LinearModel model, float[][] x, int[] y)
    {
        var p = new double[model.Classes];
        var correct = 0;
        for (var i = 0; i < x.Length; i++)
        {
            model.Probabilities(x[i], p);
            correct += Array.IndexOf(p, p.Max()) == y[i] ? 1 : 0;
        }

        return correct / (double)x.Length;
    }

    private static double[] Positives(LinearModel model, float[][] x)
    {
        var p = new double[2];
        return x.Select(row =>
        {
            model.Probabilities(row, p);
            return p[1];
        }).ToArray();
    }

    private static Dictionary<string, object?> Training(FileInfo data, int rows, FitReport report, int seed, params (string Key, object? Value)[] extra) =>
        Training(data, rows, seed, [("l2", report.L2), ("temperature", report.Temperature), ("holdout_accuracy", report.HoldoutAccuracy),
            ("holdout_auroc", report.HoldoutAuroc), ("threshold_at_1pct_fpr", report.ThresholdAt1PctFpr), ("holdout_tpr_at_1pct_fpr", report.TprAt1PctFpr), .. extra]);

    private static Dictionary<string, object?> Training(FileInfo data, int rows, int seed, params (string Key, object? Value)[] extra)
    {
        var training = new Dictionary<string, object?>
        {
            ["tool"] = "hybridai train",
            ["trained_at"] = DateTimeOffset.UtcNow.ToString("O"),
            ["data"] = data.Name,
            ["data_sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(data.FullName))),
            ["examples"] = rows,
            ["seed"] = seed,
        };
        foreach (var (key, value) in extra)
        {
            training[key] = value;
        }

        return training;
    }

    private static async Task WriteAsync(HeadFile head, FileInfo output)
    {
        output.Directory?.Create();
        head.Write(output.FullName);
        await Console.Out.WriteLineAsync($"wrote {output.FullName} ({head.Kind.ToString().ToLowerInvariant()}, {head.Labels.Count} labels, encoder {head.Encoder.Name})");
    }
}
