using System.Text.Json;

namespace HybridAI.Testing.Quality;

/// <summary>One prompt with RouteLLM-style labels: whether the small and the large model answered it correctly.</summary>
public sealed record LabelledPrompt(string Prompt, string Subject, bool WeakCorrect, bool StrongCorrect)
{
    /// <summary>The labels as a judge's verdict on the SLM answer: as good as the LLM's unless only the LLM was right.</summary>
    public double Parity => WeakCorrect || !StrongCorrect ? 1 : 0;
}

/// <summary>
/// Simulated tenant traffic from <c>routing/mmlu_routing_labels.jsonl</c> (shared datasets): a deterministic random
/// sample of prompts with labels, read in place.
/// </summary>
public static class RoutingLabels
{
    public const string MmluFile = "routing/mmlu_routing_labels.jsonl";

    /// <summary><paramref name="count"/> prompts drawn without replacement with <paramref name="seed"/> (the same every run).</summary>
    public static IReadOnlyList<LabelledPrompt> Sample(int count, int seed, string file = MmluFile)
    {
        var all = new List<LabelledPrompt>();
        foreach (var line in File.ReadLines(SharedDatasets.File(file)))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var row = JsonDocument.Parse(line);
            var root = row.RootElement;
            all.Add(new LabelledPrompt(root.GetProperty("prompt").GetString()!,
                root.TryGetProperty("subject", out var subject) ? subject.GetString() ?? "" : "",
                root.GetProperty("weak_correct").GetBoolean(), root.GetProperty("strong_correct").GetBoolean()));
        }

        var random = new Random(seed);
        for (var i = all.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (all[i], all[j]) = (all[j], all[i]);
        }

        return all.Take(Math.Min(count, all.Count)).ToList();
    }
}
