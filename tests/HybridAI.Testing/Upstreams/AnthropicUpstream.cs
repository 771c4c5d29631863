using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace HybridAI.Testing.Upstreams;

/// <summary>
/// An Anthropic Messages API server (<c>POST /v1/messages</c>): JSON messages with text and <c>tool_use</c> blocks,
/// and the SSE event sequence <c>message_start</c>, <c>content_block_start</c>, <c>ping</c>,
/// <c>content_block_delta</c> (text_delta, input_json_delta), <c>content_block_stop</c>, <c>message_delta</c> (stop
/// reason, output usage), <c>message_stop</c>; errors as <c>{"type":"error","error":{…}}</c>. Usage is always
/// reported, cached prompt tokens as <c>cache_read_input_tokens</c> apart from <c>input_tokens</c>.
/// </summary>
public sealed class AnthropicUpstream : LlmUpstream
{
    private AnthropicUpstream()
    {
    }

    /// <summary>The root: Anthropic clients add <c>/v1/messages</c> themselves.</summary>
    public override Uri BaseAddress => Root;

    public static async Task<AnthropicUpstream> StartAsync(CancellationToken cancellationToken = default)
    {
        var upstream = new AnthropicUpstream();
        await upstream.StartServerAsync(cancellationToken);
        return upstream;
    }

    protected override bool IsCompletionPath(PathString path) =>
        path.Value?.EndsWith("/v1/messages", StringComparison.Ordinal) == true;

    protected override Task WriteErrorAsync(HttpContext context, UpstreamReply reply, CancellationToken cancellationToken)
    {
        var type = reply.StatusCode switch
        {
            429 => "rate_limit_error",
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            529 => "overloaded_error",
            >= 500 => "api_error",
            _ => "invalid_request_error",
        };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { type = "error", error = new { type, message = reply.ErrorMessage } }), cancellationToken);
    }

    protected override async Task WriteResponseAsync(HttpContext context, RecordedRequest request, UpstreamReply reply, CancellationToken cancellationToken)
    {
        var usage = UsageOf(request, reply);
        var json = Json(w =>
        {
            w.WriteString("id", $"msg_{request.Index}");
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", reply.Model ?? request.Model ?? "unknown");
            w.WriteStartArray("content");
            if (reply.Text.Length > 0)
            {
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", reply.Text);
                w.WriteEndObject();
            }

            foreach (var call in reply.ToolCalls)
            {
                w.WriteStartObject();
                w.WriteString("type", "tool_use");
                w.WriteString("id", call.Id);
                w.WriteString("name", call.Name);
                w.WritePropertyName("input");
                using var args = JsonDocument.Parse(call.ArgumentsJson);
                args.RootElement.WriteTo(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("stop_reason", StopReason(reply));
            w.WriteNull("stop_sequence");
            WriteUsage(w, usage, usage.CompletionTokens);
        });
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        if (reply.Fault == UpstreamFault.Cut)
        {
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
            await CutAsync(context, cancellationToken);
            return;
        }

        if (reply.Fault == UpstreamFault.Huge)
        {
            await WriteFlushedAsync(context.Response, json[..^2], cancellationToken);
            var block = new string(' ', 8192);
            for (long written = 0; written < reply.HugeBytes; written += block.Length)
            {
                await WriteFlushedAsync(context.Response, block, cancellationToken);
            }

            await WriteFlushedAsync(context.Response, json[^2..], cancellationToken);
            return;
        }

        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, cancellationToken);
    }

    protected override async Task WriteStreamAsync(HttpContext context, RecordedRequest request, UpstreamReply reply, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var usage = UsageOf(request, reply);
        if (reply.Fault == UpstreamFault.MalformedJson)
        {
            await WriteFlushedAsync(response, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\n\n", cancellationToken);
            return;
        }

        await Send(response, "message_start", w =>
        {
            w.WriteString("type", "message_start");
            w.WriteStartObject("message");
            w.WriteString("id", $"msg_{request.Index}");
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", reply.Model ?? request.Model ?? "unknown");
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            WriteUsage(w, usage, 1);
            w.WriteEndObject();
        }, cancellationToken);

        var block = 0;
        await DelayAsync(reply.FirstTokenDelay, cancellationToken);
        if (reply.Text.Length > 0 || reply.Fault is UpstreamFault.Cut or UpstreamFault.Huge)
        {
            await Send(response, "content_block_start", w =>
            {
                w.WriteString("type", "content_block_start");
                w.WriteNumber("index", block);
                w.WriteStartObject("content_block");
                w.WriteString("type", "text");
                w.WriteString("text", "");
                w.WriteEndObject();
            }, cancellationToken);
            await Send(response, "ping", w => w.WriteString("type", "ping"), cancellationToken);

            var chunks = reply.Fault == UpstreamFault.Huge ? Huge(reply.HugeBytes) : reply.TextChunks();
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

                var index = block;
                await Send(response, "content_block_delta", w => Delta(w, index, "text_delta", "text", chunk), cancellationToken);
                request.ChunkWritten();
                sent++;
            }

            if (reply.Fault == UpstreamFault.Cut)
            {
                await CutAsync(context, cancellationToken);
                return;
            }

            await StopBlock(response, block++, cancellationToken);
        }

        foreach (var call in reply.ToolCalls)
        {
            var index = block;
            await Send(response, "content_block_start", w =>
            {
                w.WriteString("type", "content_block_start");
                w.WriteNumber("index", index);
                w.WriteStartObject("content_block");
                w.WriteString("type", "tool_use");
                w.WriteString("id", call.Id);
                w.WriteString("name", call.Name);
                w.WriteStartObject("input");
                w.WriteEndObject();
                w.WriteEndObject();
            }, cancellationToken);
            var half = call.ArgumentsJson.Length / 2;
            foreach (var fragment in new[] { call.ArgumentsJson[..half], call.ArgumentsJson[half..] })
            {
                await Send(response, "content_block_delta", w => Delta(w, index, "input_json_delta", "partial_json", fragment), cancellationToken);
                request.ChunkWritten();
            }

            await StopBlock(response, block++, cancellationToken);
        }

        await Send(response, "message_delta", w =>
        {
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", StopReason(reply));
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("output_tokens", usage.CompletionTokens);
            w.WriteEndObject();
        }, cancellationToken);
        await Send(response, "message_stop", w => w.WriteString("type", "message_stop"), cancellationToken);
    }

    private static string StopReason(UpstreamReply reply) => reply.FinishReason ?? (reply.ToolCalls.Count > 0 ? "tool_use" : "end_turn");

    private static void WriteUsage(Utf8JsonWriter w, UpstreamUsage usage, int outputTokens)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", usage.PromptTokens - usage.CachedPromptTokens);
        w.WriteNumber("cache_creation_input_tokens", 0);
        w.WriteNumber("cache_read_input_tokens", usage.CachedPromptTokens);
        w.WriteNumber("output_tokens", outputTokens);
        w.WriteEndObject();
    }

    private static void Delta(Utf8JsonWriter w, int index, string type, string field, string value)
    {
        w.WriteString("type", "content_block_delta");
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        w.WriteString("type", type);
        w.WriteString(field, value);
        w.WriteEndObject();
    }

    private static Task StopBlock(HttpResponse response, int index, CancellationToken cancellationToken) =>
        Send(response, "content_block_stop", w =>
        {
            w.WriteString("type", "content_block_stop");
            w.WriteNumber("index", index);
        }, cancellationToken);

    private static Task Send(HttpResponse response, string name, Action<Utf8JsonWriter> body, CancellationToken cancellationToken) =>
        WriteFlushedAsync(response, $"event: {name}\ndata: {Json(body)}\n\n", cancellationToken);

    private static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static IEnumerable<string> Huge(long bytes)
    {
        var block = new string('x', 8192);
        for (long written = 0; written < bytes; written += block.Length)
        {
            yield return block;
        }
    }
}
