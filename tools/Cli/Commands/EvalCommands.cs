using System.CommandLine;
using System.Text.Json;
using HybridAI.Cli.Data;
using HybridAI.Cli.Evaluation;

namespace HybridAI.Cli.Commands;

/// <summary><c>hybridai eval intent | needs-llm | guard</c> (and <c>pii</c>): a table, then one JSON line.</summary>
public static class EvalCommands
{
    public static void AddTo(Command eval)
    {
        eval.Subcommands.Add(Intent());
        eval.Subcommands.Add(EvalNeedsLlm.Create());
        eval.Subcommands.Add(EvalGuard.Create());
    }

    private static Command Intent()
    {
        var common = new CommonOptions();
        var head = new Option<FileInfo?>("--head") { Description = "Head file (default: the shipped intent head)" };
        var data = new Option<FileInfo>("--data") { Description = "CSV text,label or JSONL {text,label}", Required = true };
        var command = new Command("intent", "Accuracy and macro-F1 of an intent head.") { head, data };
        common.AddTo(command);
        command.SetAction((result, ct) =>
        {
            var rows = Datasets.LoadLabelled(result.GetValue(data)!.FullName);
            using var encoder = common.OpenEncoder(result);
            var runner = new HeadRunner(result.GetValue(head)?.FullName ?? CommonOptions.DefaultHead("intent"), encoder);
            var embeddings = encoder.Embed(rows.Select(r => r.Text).ToArray(), "texts", ct);
            var labels = runner.File.Labels.Concat(runner.File.Unknown is { } u ? [u.Label] : []).Concat(rows.Select(r => r.Label))
                .Distinct(StringComparer.Ordinal).ToList();
            var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
            var truth = rows.Select(r => index[r.Label]).ToArray();
            var predicted = rows.Select((r, i) => index[runner.Predict(embeddings, i, r.Text).Label]).ToArray();
            var unknownLabel = runner.File.Unknown?.Label;
            var abstained = unknownLabel is null ? 0 : predicted.Count(p => labels[p] == unknownLabel);
            var unseen = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Count(l => !runner.File.Labels.Contains(l));

            var accuracy = Metrics.Accuracy(truth, predicted);
            var macroF1 = Metrics.MacroF1(truth, predicted, labels.Count);
            var table = new ConsoleTable("metric", "value");
            table.Add("examples", rows.Count);
            table.Add("accuracy", accuracy);
            table.Add("macro F1", macroF1);
            table.Add("answered unknown", abstained);
            table.Add("labels not in the head", unseen);
            Console.Write(table);
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["accuracy"] = Math.Round(accuracy, 4),
                ["macro_f1"] = Math.Round(macroF1, 4),
                ["n"] = rows.Count,
                ["unknown"] = abstained,
            }));
            return Task.FromResult(0);
        });
        return command;
    }
}
