using System.CommandLine;
using System.Text.Json;
using HybridAI.Pii;
using HybridAI.Pii.Evaluation;

namespace HybridAI.Cli.Commands;

/// <summary><c>hybridai eval pii --data FILE [--templates FILE --samples N --seed S]</c>.</summary>
public static class EvalPiiCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo?>("--data") { Description = "Presidio JSON: [{full_text, spans:[{entity_type, start_position, end_position}]}]" };
        var templates = new Option<FileInfo?>("--templates") { Description = "Presidio sentence templates ({{credit_card_number}}, …) to generate labelled samples from" };
        var samples = new Option<int>("--samples") { Description = "Samples to generate from --templates", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { Description = "Seed for generated samples", DefaultValueFactory = _ => 7 };
        var profile = new Option<PiiProfile>("--profile") { Description = "precise (confident findings; the default) or recall (also suspected names and address lines, as redaction uses)", DefaultValueFactory = _ => PiiProfile.Precise };
        var errors = new Option<bool>("--errors") { Description = "Also list every missed and spurious span (for reading, before the table)" };
        var benign = new Option<FileInfo[]>("--benign") { Description = "Texts with no personal data (CSV text|prompt column or JSONL, repeatable): how many each profile would redact", AllowMultipleArgumentsPerToken = true };
        var command = new Command("pii", "Span-level precision, recall and F2 of the PII detectors, per entity type.") { data, templates, samples, seed, profile, errors, benign };
        command.SetAction(result =>
        {
            var dataFile = result.GetValue(data);
            var templateFile = result.GetValue(templates);
            var benignFiles = result.GetValue(benign) ?? [];
            if (dataFile is null && templateFile is null && benignFiles.Length == 0)
            {
                Console.Error.WriteLine("eval pii needs --data FILE, --templates FILE or --benign FILE.");
                return 2;
            }

            if (benignFiles.Length > 0)
            {
                var texts = benignFiles.SelectMany(f => Data.Datasets.LoadPrompts(f.FullName)).Distinct(StringComparer.Ordinal).ToList();
                var figures = BenignCost.Measure(texts);
                BenignCost.Print(figures);
                if (dataFile is null && templateFile is null)
                {
                    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["benign"] = figures.ToJson() }));
                    return 0;
                }
            }

            var examples = new List<PiiExample>();
            var unscored = new SortedSet<string>(StringComparer.Ordinal);
            if (dataFile is not null)
            {
                using var stream = dataFile.OpenRead();
                examples.AddRange(PiiEvaluator.LoadPresidio(stream, out unscored));
            }

            if (templateFile is not null)
            {
                examples.AddRange(TemplateSamples.Generate(File.ReadAllLines(templateFile.FullName), result.GetValue(samples), result.GetValue(seed)));
            }

            var detector = new PiiDetector(result.GetValue(profile));
            if (result.GetValue(errors))
            {
                foreach (var e in PiiEvaluator.Errors(detector, examples))
                {
                    Console.WriteLine($"{e.Kind,-8} {e.Type,-14} #{e.Example,-4} {JsonSerializer.Serialize(e.Value)}  in {JsonSerializer.Serialize(e.Text.Length > 160 ? e.Text[..160] + "…" : e.Text)}");
                }
            }

            var scores = PiiEvaluator.Evaluate(detector, examples);
            Print(scores, examples.Count, unscored);
            return 0;
        });
        return command;
    }

    private static void Print(IReadOnlyList<PiiTypeScore> scores, int texts, SortedSet<string> unscored)
    {
        var table = new ConsoleTable("type", "gold", "predicted", "precision", "recall", "F2");
        foreach (var s in scores)
        {
            table.Add(s.Type, s.Gold, s.Predicted, s.Precision, s.Recall, s.F2);
        }

        Console.WriteLine($"{texts} texts; a span is found when predictions of its type cover at least half of it.");
        Console.Write(table);
        if (unscored.Count > 0)
        {
            Console.WriteLine($"labels not scored (no detector for them): {string.Join(", ", unscored)}");
        }

        var json = new Dictionary<string, object> { ["n"] = texts };
        foreach (var s in scores.Where(s => s.Gold > 0 || s.Predicted > 0))
        {
            json[s.Type] = new Dictionary<string, object?>
            {
                ["precision"] = Round(s.Precision),
                ["recall"] = Round(s.Recall),
                ["f2"] = Round(s.F2),
                ["support"] = s.Gold,
            };
        }

        Console.WriteLine(JsonSerializer.Serialize(json));
    }

    private static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 4);
}
