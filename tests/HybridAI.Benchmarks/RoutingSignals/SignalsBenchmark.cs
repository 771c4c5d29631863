using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HybridAI.Benchmarks.Harness;
using HybridAI.Pii;
using HybridAI.SlmInference.Core.Heads;
using HybridAI.SlmInference.Core.Models;
using HybridAI.SlmInference.Core.Runtime;
using HybridAI.Testing;
using HybridAI.Testing.Data;

namespace HybridAI.Benchmarks.RoutingSignals;

/// <summary>
/// What the router computes for every request, on the CPU: one encoder pass (mean and max pooling) shared by the
/// shipped intent, needs-llm and guard heads, plus PII detection over the prompt. Measured per request, one at a
/// time, side by side with the encoder pass alone (the baseline the heads and PII add to). Target: p50 ≤ 10 ms,
/// p99 ≤ 20 ms for the whole.
/// </summary>
public sealed class SignalsBenchmark : IBenchmarkSuite
{
    public string Name => "signals";

    public string Title => "Signals: encoder pass + intent/needs-llm/guard heads + PII, per request on CPU";

    public Task<BenchmarkSection> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var factory = new OnnxSessionFactory(new SessionSettings { Device = InferenceDevice.Cpu, IntraOpThreads = Environment.ProcessorCount });
        using var encoder = ShippedEncoder.Load(factory, Path.Combine(Path.GetTempPath(), "hybridai", "models"));
        var heads = new[] { "intent", "needs-llm", "guard" }
            .Select(n => HeadFile.Read(Path.Combine(SharedDatasets.RepositoryRoot(), "services", "SlmInference", "heads", $"{n}.head.json")))
            .Select(f => new ClassificationHead(f, encoder.Name, encoder.Sha256, encoder.Dimensions, "", f.Name))
            .ToArray();
        // The router's default profile: suspected names and address lines too (Router:Signals:PiiProfile = Recall).
        var detector = new PiiDetector(PiiProfile.Recall);

        var sets = new (string Name, string[] Texts)[]
        {
            ("Banking77 test texts (short requests)", Csv.Read(SharedDatasets.File("intent/banking77/test.csv")).Select(r => r["text"]).Take(context.Quick ? 200 : 1000).ToArray()),
            ("MMLU prompts (questions with options, up to the 256-token window)", File.ReadLines(SharedDatasets.File("routing/mmlu_routing_labels.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt").GetString()!).Where((_, i) => i % 14 == 0).Take(context.Quick ? 100 : 1000).ToArray()),
        };

        var mean = new float[encoder.Dimensions];
        var max = new float[encoder.Dimensions];
        var text = new StringBuilder();
        text.AppendLine("| texts | measurement | p50 ms | p99 ms | mean ms | × encoder p50 |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var (name, texts) in sets)
        {
            foreach (var t in texts.Take(20))
            {
                encoder.Embed([encoder.Tokenize(t)], mean, max);
            }

            // Interleaved per text, so load from other processes touches baseline and measurement alike.
            var (encoderOnly, piiOnly, all) = Measure(texts,
                t => encoder.Embed([encoder.Tokenize(t)], mean, max),
                t => detector.Detect(t),
                t =>
                {
                    encoder.Embed([encoder.Tokenize(t)], mean, max);
                    foreach (var head in heads)
                    {
                        head.Predict(mean, max, t);
                    }

                    DataClassPolicy.Default.Classify(detector.Detect(t));
                },
                cancellationToken);

            var baseline = encoderOnly.Percentile(50);
            foreach (var (label, samples) in new[] { ("encoder pass (baseline)", encoderOnly), ("PII detection", piiOnly), ("all signals (encoder + 3 heads + PII)", all) })
            {
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {label} | {samples.Percentile(50):F2} | {samples.Percentile(99):F2} | {samples.Mean:F2} | {samples.Percentile(50) / baseline:F2} |"));
            }
        }

        text.AppendLine();
        text.AppendLine($"Single caller, one request at a time, {Environment.ProcessorCount} ONNX Runtime threads; load average before the run: {MachineLoad.Averages()}.");
        return Task.FromResult(new BenchmarkSection(text.ToString()));
    }

    private static (LatencySamples, LatencySamples, LatencySamples) Measure(string[] texts, Action<string> a, Action<string> b, Action<string> c,
        CancellationToken cancellationToken)
    {
        var samples = (A: new LatencySamples(), B: new LatencySamples(), C: new LatencySamples());
        foreach (var t in texts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            samples.A.Add(Time(a, t));
            samples.B.Add(Time(b, t));
            samples.C.Add(Time(c, t));
        }

        return samples;
    }

    private static double Time(Action<string> work, string text)
    {
        var start = Stopwatch.GetTimestamp();
        work(text);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

}
