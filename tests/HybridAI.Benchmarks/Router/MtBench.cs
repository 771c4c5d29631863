using System.Globalization;
using System.Text.Json;
using HybridAI.Testing;

namespace HybridAI.Benchmarks.Router;

/// <summary>
/// MT-Bench as RouteLLM evaluates routers on it (routing/mt_bench_*.jsonl from lm-sys/RouteLLM): 80 questions in 8
/// categories, each answered over two turns by a weak model (Mixtral-8x7B-Instruct) and a strong one (GPT-4-1106),
/// scored 1–10 by a GPT-4 judge. A question is routed on its first turn, and the routed model's score is the mean of
/// its two turns.
/// </summary>
internal sealed record MtBenchQuestion(int Id, string Category, string FirstTurn, double WeakScore, double StrongScore)
{
    public const string WeakModel = "mistralai/Mixtral-8x7B-Instruct-v0.1";
    public const string StrongModel = "gpt-4-1106-preview";

    public static IReadOnlyList<MtBenchQuestion> Load()
    {
        var scores = new Dictionary<(int Id, string Model), List<double>>();
        foreach (var line in File.ReadLines(SharedDatasets.File("routing/mt_bench_scores.jsonl")).Where(l => l.Length > 0))
        {
            using var row = JsonDocument.Parse(line);
            var r = row.RootElement;
            var key = (r.GetProperty("question_id").GetInt32(), r.GetProperty("model").GetString()!);
            scores.TryAdd(key, []);
            scores[key].Add(r.GetProperty("score").GetDouble());
        }

        var questions = new List<MtBenchQuestion>();
        foreach (var line in File.ReadLines(SharedDatasets.File("routing/mt_bench_question.jsonl")).Where(l => l.Length > 0))
        {
            using var row = JsonDocument.Parse(line);
            var r = row.RootElement;
            var id = r.GetProperty("question_id").GetInt32();
            questions.Add(new MtBenchQuestion(id, r.GetProperty("category").GetString()!, r.GetProperty("turns")[0].GetString()!,
                Score(scores, id, WeakModel), Score(scores, id, StrongModel)));
        }

        return questions;
    }

    private static double Score(Dictionary<(int, string), List<double>> scores, int id, string model) =>
        scores.TryGetValue((id, model), out var turns) && turns.Count > 0
            ? turns.Average()
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"mt_bench_scores.jsonl has no score of {model} for question {id}."));
}
