using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HybridAI.Testing.Upstreams;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) that speaks an LLM provider's wire format, for tests and
/// benchmarks. Replies are scripted: <see cref="Enqueue"/> answers the next requests in order, then
/// <c>Respond</c> (by default <see cref="UpstreamReply.Default"/>) answers the rest. Every request is recorded
/// with how it was answered, so tests can assert what reached the upstream. Dispose to stop it; hanging requests end.
/// </summary>
public abstract class LlmUpstream : IAsyncDisposable
{
    private const int MaxRecorded = 10_000;

    private readonly ConcurrentQueue<UpstreamReply> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();
    private Func<RecordedRequest, UpstreamReply> _responder = _ => UpstreamReply.Default;
    private WebApplication? _app;
    private int _count;
    private int _disposed;

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>The base URL a client of this provider is configured with.</summary>
    public abstract Uri BaseAddress { get; }

    /// <summary>Keep a record of each request (on by default; benchmarks turn it off). At most 10,000 are kept.</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>Requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>How many requests arrived (counted even when not recorded).</summary>
    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>Answers the next requests with <paramref name="replies"/>, in order.</summary>
    public void Enqueue(params UpstreamReply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    /// <summary>How requests are answered once the script is used up.</summary>
    public void Respond(Func<RecordedRequest, UpstreamReply> responder) => _responder = responder;

    /// <summary>Answers every unscripted request with <paramref name="reply"/>.</summary>
    public void Respond(UpstreamReply reply) => _responder = _ => reply;

    /// <summary>Waits (bounded) until <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForRequestsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (RequestCount < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{GetType().Name} received {RequestCount} requests, expected {count} within {timeout}.");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Stops the server (idempotent): hanging requests end, later connections are refused.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the server; called by the subclasses' <c>StartAsync</c>.</summary>
    protected Task StartServerAsync(CancellationToken cancellationToken) => StartServerAsync(port: 0, cancellationToken);

    /// <summary>Starts the server on <paramref name="port"/> (0: a free one).</summary>
    protected async Task StartServerAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = GetType().Name,
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http1AndHttp2);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Root = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Whether this provider serves <paramref name="path"/> (a completion endpoint).</summary>
    protected abstract bool IsCompletionPath(PathString path);

    /// <summary>Writes the provider's error body for a non-200 reply.</summary>
    protected abstract Task WriteErrorAsync(HttpContext context, UpstreamReply reply, CancellationToken cancellationToken);

    /// <summary>Writes a complete (non-streaming) answer.</summary>
    protected abstract Task WriteResponseAsync(HttpContext context, RecordedRequest request, UpstreamReply reply, CancellationToken cancellationToken);

    /// <summary>Writes a streamed answer; calls <see cref="RecordedRequest.ChunkWritten"/> per content chunk and honours Cut.</summary>
    protected abstract Task WriteStreamAsync(HttpContext context, RecordedRequest request, UpstreamReply reply, CancellationToken cancellationToken);

    /// <summary>Answers other paths (model lists); the default is 404.</summary>
    protected virtual Task HandleOtherAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.Response.WriteAsync(
            JsonSerializer.Serialize(new { error = new { message = $"no route for {context.Request.Path}", type = "not_found" } }), cancellationToken);
    }

    /// <summary>Prompt-side usage when a reply names none: words of the messages plus 3 per message.</summary>
    protected static UpstreamUsage UsageOf(RecordedRequest request, UpstreamReply reply)
    {
        if (reply.Usage is { } usage)
        {
            return usage;
        }

        var messages = request.Json.ValueKind == JsonValueKind.Object && request.Json.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.GetArrayLength()
            : 0;
        var prompt = Words(request.AllText) + (3 * messages);
        var completion = Words(reply.Text) + reply.ToolCalls.Sum(c => Words(c.ArgumentsJson) + 1);
        return new UpstreamUsage(prompt, completion);
    }

    /// <summary>Writes bytes and flushes, so a slow reader pushes back on the writer.</summary>
    protected static async Task WriteFlushedAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>Waits for a reply's delay, ending early when the client goes away or the upstream stops.</summary>
    protected static Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Resets the connection, as a crashing server or proxy would. It waits briefly first: a reset discards data the
    /// client has not read yet, and a cut "after N chunks" must deliver those N chunks.
    /// </summary>
    protected static async Task CutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await context.Response.Body.FlushAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        context.Abort();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var ct = linked.Token;
        if (!HttpMethods.IsPost(context.Request.Method) || !IsCompletionPath(context.Request.Path))
        {
            await HandleOtherAsync(context, ct);
            return;
        }

        var request = await RecordAsync(context, ct);
        var reply = _script.TryDequeue(out var scripted) ? scripted : _responder(request);
        request.Reply = reply;
        try
        {
            foreach (var (name, value) in reply.Headers)
            {
                context.Response.Headers[name] = value;
            }

            await AnswerAsync(context, request, reply, ct);
            request.MarkCompleted();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            request.MarkAborted();
        }
        catch (IOException)
        {
            request.MarkAborted();
        }
    }

    private async Task AnswerAsync(HttpContext context, RecordedRequest request, UpstreamReply reply, CancellationToken ct)
    {
        if (reply.Fault == UpstreamFault.Hang)
        {
            await Task.Delay(Timeout.Infinite, ct);
        }

        if (reply.StatusCode != StatusCodes.Status200OK)
        {
            await DelayAsync(reply.FirstTokenDelay, ct);
            context.Response.StatusCode = reply.StatusCode;
            await WriteErrorAsync(context, reply, ct);
            return;
        }

        switch (reply.Fault)
        {
            case UpstreamFault.WrongContentType:
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>", ct);
                return;
            case UpstreamFault.MalformedJson when !request.Stream:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"id":"chatcmpl-malformed","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hel""", ct);
                return;
        }

        if (request.Stream)
        {
            await WriteStreamAsync(context, request, reply, ct);
        }
        else
        {
            await DelayAsync(reply.FirstTokenDelay, ct);
            await WriteResponseAsync(context, request, reply, ct);
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context, CancellationToken ct)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        JsonElement json;
        try
        {
            using var doc = JsonDocument.Parse(body);
            json = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            json = default;
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var index = Interlocked.Increment(ref _count) - 1;
        var request = new RecordedRequest
        {
            Index = index,
            Method = context.Request.Method,
            Path = context.Request.Path + context.Request.QueryString,
            Headers = headers,
            Body = body,
            Json = json,
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        if (RecordRequests)
        {
            lock (_requests)
            {
                if (_requests.Count < MaxRecorded)
                {
                    _requests.Add(request);
                }
            }
        }

        return request;
    }

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
