using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Text;
using Grpc.Net.Client;
using HybridAI.Benchmarks.Harness;
using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy;
using HybridAI.Testing;
using HybridAI.Testing.Upstreams;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace HybridAI.Benchmarks.LlmProxy;

/// <summary>
/// What llm-proxy adds to a call: a zero-latency local OpenAI-compatible upstream is called directly with the official
/// OpenAI SDK (what a caller would do without the proxy) and through the proxy's gRPC API (the router's path), side by
/// side in the same run, unary and streamed, at concurrency 1 and 32. The proxy runs in process on Kestrel (h2c), so
/// client, proxy and upstream share this machine's cores; the added p50 is the figure to read, and p99 is reported
/// with its spread over repeated runs because millisecond tails here are scheduler noise.
/// </summary>
public sealed class LlmProxyOverheadSuite : IBenchmarkSuite
{
    private const string Reply = "Hello from the upstream, in a few short words.";

    public string Name => "llm-proxy";

    public string Title => "llm-proxy: overhead against a zero-latency OpenAI-compatible upstream";

    public async Task<BenchmarkSection> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var runs = context.Quick ? 2 : int.Parse(context.Option("--runs") ?? "5", CultureInfo.InvariantCulture);
        var loadBefore = MachineLoad.Averages();

        await using var upstream = await OpenAIUpstream.StartAsync(cancellationToken);
        upstream.RecordRequests = false;
        upstream.Respond(UpstreamReply.Chunked("Hello ", "from ", "the ", "upstream, ", "in ", "a ", "few ", "short ", "words.").WithUsage(24, 11));

        // The harness is not a test assembly, so WebApplicationFactory is told where the service's content root is.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HYBRIDAI_LLMPROXY",
            Path.Combine(SharedDatasets.RepositoryRoot(), "services", "LlmProxy"));
        using var proxy = new ServiceFactory<LlmProxyOptions>(new Dictionary<string, string?>
        {
            ["LlmProxy:Models:0:Id"] = "local",
            ["LlmProxy:Models:0:Provider"] = "openai-compatible",
            ["LlmProxy:Models:0:UpstreamModel"] = "gpt-4o-mini",
            ["LlmProxy:Models:0:Endpoint"] = upstream.BaseAddress.ToString(),
            ["LlmProxy:Models:0:InputPricePerMTok"] = "0.15",
            ["LlmProxy:Models:0:OutputPricePerMTok"] = "0.60",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        proxy.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        proxy.StartServer();
        var address = proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var grpcHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan };
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = grpcHandler });
        var grpc = new LlmService.LlmServiceClient(channel);

        using var httpHandler = new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan, MaxConnectionsPerServer = 64 };
        using var http = new HttpClient(httpHandler) { Timeout = Timeout.InfiniteTimeSpan };
        var direct = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = upstream.BaseAddress,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(0),
        }).GetChatClient("gpt-4o-mini");

        OpenAI.Chat.ChatMessage[] messages = [new SystemChatMessage("You are terse."), new UserChatMessage("Say hello.")];
        var request = new CompletionRequest
        {
            Targets = { "local" },
            Messages =
            {
                new HybridAI.Contracts.Common.V1.ChatMessage { Role = "system", Content = "You are terse." },
                new HybridAI.Contracts.Common.V1.ChatMessage { Role = "user", Content = "Say hello." },
            },
            Context = new HybridAI.Contracts.Common.V1.RequestContext { TenantId = "bench", RequestId = "bench" },
        };

        var paths = new (string Name, Func<CancellationToken, ValueTask> Call)[]
        {
            ("unary direct", async ct => Check((await direct.CompleteChatAsync(messages, cancellationToken: ct)).Value.Content[0].Text)),
            ("unary proxy", async ct => Check((await grpc.CompleteAsync(request, cancellationToken: ct)).Message.Content)),
            ("stream direct", async ct =>
            {
                var text = new StringBuilder();
                await foreach (var update in direct.CompleteChatStreamingAsync(messages, cancellationToken: ct))
                {
                    foreach (var part in update.ContentUpdate)
                    {
                        text.Append(part.Text);
                    }
                }

                Check(text.ToString());
            }),
            ("grpc floor", async ct => Check((await grpc.ListModelsAsync(new ListModelsRequest(), cancellationToken: ct)).Models.Count == 1 ? Reply : "")),
            ("stream proxy", async ct =>
            {
                using var call = grpc.Stream(request, cancellationToken: ct);
                var text = new StringBuilder();
                while (await call.ResponseStream.MoveNext(ct))
                {
                    text.Append(call.ResponseStream.Current.Delta?.Content);
                }

                Check(text.ToString());
            }),
        };

        int[] concurrencies = context.Option("--concurrency") is { } only ? [int.Parse(only, CultureInfo.InvariantCulture)] : [1, 32];
        var opsAt = (int c) => context.Quick ? (c == 1 ? 300 : 2_000) : (c == 1 ? 3_000 : 16_000);

        Console.Error.WriteLine("warming up");
        foreach (var (_, call) in paths)
        {
            await Load.RunAsync(8, context.Quick ? 500 : 3_000, (_, _, ct) => call(ct), cancellationToken);
        }

        var results = new Dictionary<(string Path, int Concurrency), List<LoadResult>>();
        for (var run = 0; run < runs; run++)
        {
            foreach (var concurrency in concurrencies)
            {
                // Direct and proxy alternate within each run, so both see the same machine conditions.
                foreach (var (name, call) in paths)
                {
                    var result = await Load.RunAsync(concurrency, opsAt(concurrency), (_, _, ct) => call(ct), cancellationToken);
                    results.TryAdd((name, concurrency), []);
                    results[(name, concurrency)].Add(result);
                    Console.Error.WriteLine($"run {run + 1}/{runs} c={concurrency} {name}: p50 {result.Latency.Percentile(50):0.000} ms, p99 {result.Latency.Percentile(99):0.000} ms, {result.OperationsPerSecond:0} req/s");
                }
            }
        }

        return new BenchmarkSection(Report(results, runs, concurrencies, opsAt, loadBefore, MachineLoad.Averages()));
    }

    private static string Report(Dictionary<(string Path, int Concurrency), List<LoadResult>> results, int runs, int[] concurrencies,
        Func<int, int> opsAt, string loadBefore, string loadAfter)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine load (1/5/15-minute averages of `/proc/loadavg`): {loadBefore} before, {loadAfter} after; other work shared the 2 cores when these are above ~0.5.");
        md.AppendLine(CultureInfo.InvariantCulture, $"{runs} runs; each run measures direct and proxy back to back ({opsAt(1):N0} calls at concurrency 1, {opsAt(32):N0} at 32). Figures are medians over runs; added p50 is the median over runs of (proxy p50 − direct p50) within each run, so it need not equal the difference of the two median columns; p99 also shows its min–max over runs.");
        md.AppendLine();
        md.AppendLine("| mode | concurrency | direct p50 ms | proxy p50 ms | **added p50 ms** | direct p99 ms (runs) | proxy p99 ms (runs) | direct req/s | proxy req/s | proxy/direct throughput |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var mode in new[] { "unary", "stream" })
        {
            foreach (var c in concurrencies)
            {
                var d = results[($"{mode} direct", c)];
                var p = results[($"{mode} proxy", c)];
                var added = Median(d.Zip(p, (x, y) => y.Latency.Percentile(50) - x.Latency.Percentile(50)));
                var dRps = Median(d.Select(r => r.OperationsPerSecond));
                var pRps = Median(p.Select(r => r.OperationsPerSecond));
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {mode} | {c} | {Median(d.Select(r => r.Latency.Percentile(50))):0.000} | {Median(p.Select(r => r.Latency.Percentile(50))):0.000} | **{added:+0.000;-0.000}** | {Spread(d)} | {Spread(p)} | {dRps:N0} | {pRps:N0} | {pRps / dRps:0.00} |");
            }
        }

        md.AppendLine();
        md.AppendLine(string.Join(" ", concurrencies.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"A bare gRPC round trip to the proxy (ListModels, no upstream) at concurrency {c}: p50 {Median(results[("grpc floor", c)].Select(r => r.Latency.Percentile(50))):0.000} ms."))));
        md.AppendLine();
        md.AppendLine("Direct: the OpenAI .NET SDK (`ChatClient`) against the upstream. Proxy: the `hybridai.llm.v1` gRPC client → llm-proxy (validation, Polly pipeline, Microsoft.Extensions.AI + the same SDK, usage and cost, GenAI telemetry with OpenTelemetry listening) → the same upstream. Added p50 at concurrency 1 is the proxy's own cost per call; at 32 the three parties compete for 2 cores, so it includes queueing. Target: added p50 ≤ 0.2 ms at concurrency 1.");
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

    private static void Check(string text)
    {
        if (text != Reply)
        {
            throw new InvalidOperationException($"unexpected reply '{text}'");
        }
    }

}
