using System.Globalization;
using System.Text;
using HybridAI.Benchmarks.Harness;
using HybridAI.Testing.Upstreams;

namespace HybridAI.Benchmarks.Edge;

/// <summary>
/// What the edge adds to a chat completion, side by side in one run against the same zero-latency OpenAI-compatible
/// upstream: the upstream called directly; bare YARP; HybridAI's edge alone (key check, tenant stamping, limits) with
/// the upstream where the router would be; HybridAI's edge + router on the LLM route (signals, policy, budget escrow,
/// llm-proxy, receipts); and Portkey's open-source gateway when installed (<c>--portkey &lt;npm prefix&gt;</c>). Every
/// path is called with the same raw HTTP/1.1 client and body, at concurrency 1 and 32, targets interleaved in each run.
/// </summary>
public sealed class EdgeOverheadSuite : IBenchmarkSuite
{
    private const string Reply = "Hello from the upstream.";

    public string Name => "edge";

    public string Title => "edge: overhead on the LLM route, against bare YARP and Portkey's gateway";

    public async Task<BenchmarkSection> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var runs = context.Quick ? 1 : int.Parse(context.Option("--runs") ?? "3", CultureInfo.InvariantCulture);
        var loadBefore = MachineLoad.Averages();

        await using var upstream = await OpenAIUpstream.StartAsync(cancellationToken);
        upstream.RecordRequests = false;
        upstream.Respond(new UpstreamReply { Text = Reply, Usage = new UpstreamUsage(12, 5) });
        await using var yarp = await BareYarp.StartAsync(upstream.Root, cancellationToken);
        await using var stack = await EdgeBenchStack.StartAsync(upstream, cancellationToken);
        var portkeyDirectory = context.Option("--portkey");
        await using var portkey = portkeyDirectory is null ? null : await PortkeyGateway.StartAsync(portkeyDirectory, cancellationToken);

        using var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = 64,
            ActivityHeadersPropagator = null,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };

        var targets = new List<Target>
        {
            new("direct", new Uri(upstream.BaseAddress, "chat/completions"), Body("gpt-4o-mini"), []),
            new("bare YARP", new Uri(yarp.Address, "chat/completions"), Body("gpt-4o-mini"), []),
            new("HybridAI edge alone", new Uri(stack.GateOnlyEdge.HttpAddress, "/v1/chat/completions"), Body("gpt-4o-mini"),
                [("Authorization", $"Bearer {EdgeBenchStack.DevKey}")]),
            new("HybridAI edge + router (LLM route)", new Uri(stack.FullEdge.HttpAddress, "/v1/chat/completions"), Body("hybrid-llm"),
                [("Authorization", $"Bearer {EdgeBenchStack.DevKey}")]),
        };
        if (portkey is not null)
        {
            targets.Add(new("Portkey gateway 1.15.2", new Uri(portkey.Address, "chat/completions"), Body("gpt-4o-mini"),
                [("Authorization", "Bearer unused"), ("x-portkey-provider", "openai"), ("x-portkey-custom-host", upstream.BaseAddress.ToString().TrimEnd('/'))]));
        }

        int[] concurrencies = [1, 32];
        // The slow paths (tens of milliseconds a call on this machine) get fewer calls, so a run stays within minutes.
        int OpsAt(Target t, int c) => (context.Quick, t.Name.Contains("router", StringComparison.Ordinal) || t.Name.StartsWith("Portkey", StringComparison.Ordinal), c) switch
        {
            (true, _, 1) => 100,
            (true, _, _) => 500,
            (false, true, 1) => 500,
            (false, true, _) => 2_000,
            (false, false, 1) => 2_000,
            _ => 8_000,
        };

        Console.Error.WriteLine("warming up");
        foreach (var target in targets)
        {
            await Load.RunAsync(8, context.Quick ? 100 : 500, (_, _, ct) => CallAsync(http, target, ct), cancellationToken);
        }

        var results = new Dictionary<(string Target, int Concurrency), List<LoadResult>>();
        for (var run = 0; run < runs; run++)
        {
            foreach (var concurrency in concurrencies)
            {
                foreach (var target in targets)
                {
                    var result = await Load.RunAsync(concurrency, OpsAt(target, concurrency), (_, _, ct) => CallAsync(http, target, ct), cancellationToken);
                    results.TryAdd((target.Name, concurrency), []);
                    results[(target.Name, concurrency)].Add(result);
                    Console.Error.WriteLine($"run {run + 1}/{runs} c={concurrency} {target.Name}: p50 {result.Latency.Percentile(50):0.000} ms, p99 {result.Latency.Percentile(99):0.000} ms, {result.OperationsPerSecond:0} req/s");
                }
            }
        }

        return new BenchmarkSection(Report(results, targets, runs, concurrencies, loadBefore, MachineLoad.Averages(), portkey is not null));
    }

    private static async ValueTask CallAsync(HttpClient http, Target target, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Address) { Content = new ByteArrayContent(target.Body) };
        request.Content.Headers.ContentType = new("application/json");
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || !body.Contains(Reply, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{target.Name}: {(int)response.StatusCode} {body}");
        }
    }

    private static byte[] Body(string model) => Encoding.UTF8.GetBytes(
        $$"""{"model":"{{model}}","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello."}]}""");

    private static string Report(Dictionary<(string Target, int Concurrency), List<LoadResult>> results, List<Target> targets, int runs,
        int[] concurrencies, string loadBefore, string loadAfter, bool withPortkey)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine load (1/5/15-minute averages of `/proc/loadavg`): {loadBefore} before, {loadAfter} after; other work shared the 2 cores when these are above ~0.5.");
        md.AppendLine(CultureInfo.InvariantCulture, $"{runs} runs, every target measured back to back within each run. Figures are medians over runs; added p50 is the median over runs of (target p50 − direct p50) within each run; p99 shows its min–max over runs. Client, gateways and upstream share the machine's 2 cores.");
        md.AppendLine();
        md.AppendLine("| path | concurrency | p50 ms | **added p50 ms** | p99 ms (runs) | req/s |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var c in concurrencies)
        {
            var direct = results[("direct", c)];
            foreach (var t in targets)
            {
                var r = results[(t.Name, c)];
                var added = Median(direct.Zip(r, (d, x) => x.Latency.Percentile(50) - d.Latency.Percentile(50)));
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {t.Name} | {c} | {Median(r.Select(x => x.Latency.Percentile(50))):0.000} | **{added:+0.000;-0.000}** | {Spread(r)} | {Median(r.Select(x => x.OperationsPerSecond)):N0} |");
            }
        }

        md.AppendLine();
        if (withPortkey)
        {
            double Added(string name) => Median(results[("direct", 1)].Zip(results[(name, 1)], (d, x) => x.Latency.Percentile(50) - d.Latency.Percentile(50)));
            double Rps(string name) => Median(results[(name, 32)].Select(x => x.OperationsPerSecond));
            const string Portkey = "Portkey gateway 1.15.2";
            foreach (var name in new[] { "HybridAI edge alone", "HybridAI edge + router (LLM route)" })
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"- {name}: added p50 at concurrency 1 is {Added(name) / Added(Portkey):0.00}× Portkey's (target ≤ 0.5×); requests/s at concurrency 32 are {Rps(name) / Rps(Portkey):0.00}× Portkey's (target ≥ 4×).");
            }
        }
        else
        {
            md.AppendLine("- Portkey's gateway was not installed for this run (`--portkey <npm prefix>`), so it has no row.");
        }

        md.AppendLine();
        md.AppendLine("Direct: the upstream itself. Bare YARP: one route, no middleware. Edge alone: HybridAI's edge with the upstream in the router's place (key check against the cached governance answer, internal headers stripped, tenant stamped, policy-cache lookup for rate limits, request id, YARP). Edge + router: the LLM route as deployed, `hybrid-llm` with the response cache off: edge → router (PII scan, one slm-inference Classify call on the CPU encoder and heads, policy, budget reservation and settlement in governance, receipt) → llm-proxy (gRPC) → upstream. Portkey: installed with `npm install --prefix <dir> @portkey-ai/gateway@1.15.2`, started as `node build/start-server.js --headless`, called with `x-portkey-provider: openai` and `x-portkey-custom-host` pointing at the same upstream.");
        md.AppendLine();
        md.AppendLine("Reading: the edge itself (gate + YARP) costs about what bare YARP does. Most of the LLM route's cost is the router's per-request work before the upstream call, mainly the slm-inference Classify pass (MiniLM encoder + heads on the CPU, which signals need and fail closed without), and at concurrency 32 that work competes for the same 2 cores as everything else.");
        return md.ToString();
    }

    private static string Spread(List<LoadResult> runs)
    {
        var p99 = runs.Select(r => r.Latency.Percentile(99)).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{Median(p99):0.00} ({p99.Min():0.00}–{p99.Max():0.00})");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }


    private sealed record Target(string Name, Uri Address, byte[] Body, (string Name, string Value)[] Headers);
}
