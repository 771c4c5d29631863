using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace HybridAI.Testing.Upstreams;

/// <summary>
/// An OpenAI chat-completions server (<c>POST …/chat/completions</c>, <c>GET …/models</c>), as OpenAI, Azure OpenAI's
/// v1 API and OpenAI-compatible servers (vLLM, Ollama, llama.cpp) speak it: JSON answers, SSE streams of
/// <c>chat.completion.chunk</c> ending in <c>data: [DONE]</c>, a usage chunk only when the request set
/// <c>stream_options.include_usage</c>, tool calls streamed as argument fragments, and OpenAI's error body.
/// </summary>
public sealed class OpenAIUpstream : LlmUpstream
{
    private OpenAIUpstream()
    {
    }

    /// <summary><c>{root}v1/</c>: what an OpenAI client is given as its endpoint.</summary>
    public override Uri BaseAddress => new(Root, "v1/");

    public static Task<OpenAIUpstream> StartAsync(CancellationToken cancellationToken = default) => StartAsync(port: 0, cancellationToken);

    /// <summary>Starts on <paramref name="port"/> (0: a free one); a stopped upstream's port restarts it where its clients look.</summary>
    public static async Task<OpenAIUpstream> StartAsync(int port, CancellationToken cancellationToken = default)
    {
        var upstream = new OpenAIUpstream();
        await upstream.StartServerAsync(port, cancellationToken);
        return upstream;
    }

    protected override bool IsCompletionPath(PathString path) =>
        path.Value?.EndsWith("/chat/completions", StringComparison.Ordinal) == true;

    protected override Task HandleOtherAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Value?.EndsWith("/models", StringComparison.Ordinal) == true)
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("""{"object":"list","data":[{"id":"test-model","object":"model","created":0,"owned_by":"hybridai-tests"}]}""", cancellationToken);
        }

        return base.HandleOtherAsync(context, cancellationToken);
    }

    protected override Task WriteErrorAsync(HttpContext context, UpstreamReply reply, CancellationToken cancellationToken)
    {
        var type = reply.StatusCode switch
        {
            429 => "rate_limit_exceeded",
            401 => "invalid_api_key",
            403 => "permission_denied",
            404 => "model_not_found",
            >= 500 => "server_error",
            _ => "invalid_request_error",
        };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            error = new { message = reply.ErrorMessage, type, param = (string?)null, code = type },
        }), cancellationToken);
    }

    protected override async Task WriteResponseAsync(HttpContext context, RecordedRequest request, UpstreamReply reply, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Header(w, request, reply, "chat.completion");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (reply.ToolCalls.Count > 0 && reply.Text.Length == 0)
            {
                w.WriteNull("content");
            }
            else
            {
                w.WriteString("content", reply.Text);
            }

            if (reply.ToolCalls.Count > 0)
            {
                w.WriteStartArray("tool_calls");
                foreach (var call in reply.ToolCalls)
                {
                    w.WriteStartObject();
                    w.WriteString("id", call.Id);
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", call.Name);
                    w.WriteString("arguments", call.ArgumentsJson);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", FinishReason(reply));
            w.WriteEndObject();
            w.WriteEndArray();
            if (!reply.OmitUsage)
            {
                WriteUsage(w, UsageOf(request, reply));
            }

            w.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        if (reply.Fault == UpstreamFault.Cut)
        {
            await context.Response.Body.WriteAsync(buffer.WrittenMemory[..(buffer.WrittenCount / 2)], cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
            await CutAsync(context, cancellationToken);
            return;
        }

        if (reply.Fault == UpstreamFault.Huge)
        {
            await WriteHugeJsonAsync(context, request, reply, cancellationToken);
            return;
        }

        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    protected override async Task WriteStreamAsync(HttpContext context, RecordedRequest request, UpstreamReply reply, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await WriteFlushedAsync(response, Event(request, reply, w => w.WriteString("role", "assistant"), null), cancellationToken);
        if (reply.Fault == UpstreamFault.MalformedJson)
        {
            await WriteFlushedAsync(response, "data: {\"id\":\"chatcmpl-x\",\"choices\":[{\"delta\":{\"content\":\n\n", cancellationToken);
            await WriteFlushedAsync(response, "data: [DONE]\n\n", cancellationToken);
            return;
        }

        await DelayAsync(reply.FirstTokenDelay, cancellationToken);
        var chunks = reply.Fault == UpstreamFault.Huge ? HugeChunks(reply.HugeBytes) : reply.TextChunks();
        var sent = 0;
        foreach (var chunk in chunks)
        {
            if (reply.Fault == UpstreamFault.Cut && sent == reply.CutAfterChunks)
            {
                await CutAsync(context, cancellationToken);
                return;
            }

            if (sent > 0)
            {
                await DelayAsync(reply.ChunkDelay, cancellationToken);
            }

            await WriteFlushedAsync(response, Event(request, reply, w => w.WriteString("content", chunk), null), cancellationToken);
            request.ChunkWritten();
            sent++;
        }

        if (reply.Fault == UpstreamFault.Cut)
        {
            await CutAsync(context, cancellationToken);
            return;
        }

        for (var i = 0; i < reply.ToolCalls.Count; i++)
        {
            var call = reply.ToolCalls[i];
            var index = i;
            await WriteFlushedAsync(response, Event(request, reply, w => ToolCallDelta(w, index, call, ""), null), cancellationToken);
            var args = call.ArgumentsJson;
            var half = args.Length / 2;
            foreach (var fragment in new[] { args[..half], args[half..] })
            {
                await WriteFlushedAsync(response, Event(request, reply, w => ToolCallDelta(w, index, null, fragment), null), cancellationToken);
                request.ChunkWritten();
            }
        }

        await WriteFlushedAsync(response, Event(request, reply, null, FinishReason(reply)), cancellationToken);
        if (request.IncludeUsage && !reply.OmitUsage)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                Header(w, request, reply, "chat.completion.chunk");
                w.WriteStartArray("choices");
                w.WriteEndArray();
                WriteUsage(w, UsageOf(request, reply));
                w.WriteEndObject();
            }

            await WriteFlushedAsync(response, $"data: {System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)}\n\n", cancellationToken);
        }

        await WriteFlushedAsync(response, "data: [DONE]\n\n", cancellationToken);
    }

    private static string FinishReason(UpstreamReply reply) => reply.FinishReason ?? (reply.ToolCalls.Count > 0 ? "tool_calls" : "stop");

    private static void Header(Utf8JsonWriter w, RecordedRequest request, UpstreamReply reply, string kind)
    {
        w.WriteString("id", $"chatcmpl-{request.Index}");
        w.WriteString("object", kind);
        w.WriteNumber("created", request.ReceivedAt.ToUnixTimeSeconds());
        w.WriteString("model", reply.Model ?? request.Model ?? "unknown");
        w.WriteString("system_fingerprint", "fp_hybridai_tests");
    }

    private static string Event(RecordedRequest request, UpstreamReply reply, Action<Utf8JsonWriter>? delta, string? finishReason)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Header(w, request, reply, "chat.completion.chunk");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            delta?.Invoke(w);
            w.WriteEndObject();
            w.WriteNull("logprobs");
            if (finishReason is null)
            {
                w.WriteNull("finish_reason");
            }
            else
            {
                w.WriteString("finish_reason", finishReason);
            }

            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return $"data: {System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)}\n\n";
    }

    private static void ToolCallDelta(Utf8JsonWriter w, int index, UpstreamToolCall? start, string fragment)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        if (start is not null)
        {
            w.WriteString("id", start.Id);
            w.WriteString("type", "function");
        }

        w.WriteStartObject("function");
        if (start is not null)
        {
            w.WriteString("name", start.Name);
        }

        w.WriteString("arguments", fragment);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteUsage(Utf8JsonWriter w, UpstreamUsage usage)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", usage.PromptTokens);
        w.WriteNumber("completion_tokens", usage.CompletionTokens);
        w.WriteNumber("total_tokens", usage.PromptTokens + usage.CompletionTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", usage.CachedPromptTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static async Task WriteHugeJsonAsync(HttpContext context, RecordedRequest request, UpstreamReply reply, CancellationToken cancellationToken)
    {
        var response = context.Response;
        await WriteFlushedAsync(response, $$"""{"id":"chatcmpl-{{request.Index}}","object":"chat.completion","created":0,"model":"{{reply.Model ?? request.Model}}","choices":[{"index":0,"message":{"role":"assistant","content":" """, cancellationToken);
        foreach (var chunk in HugeChunks(reply.HugeBytes))
        {
            await WriteFlushedAsync(response, chunk, cancellationToken);
        }

        await WriteFlushedAsync(response, "\"},\"finish_reason\":\"stop\"}]}", cancellationToken);
    }

    private static IEnumerable<string> HugeChunks(long bytes)
    {
        var block = new string('x', 8192);
        for (long written = 0; written < bytes; written += block.Length)
        {
            yield return block;
        }
    }
}
