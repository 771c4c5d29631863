namespace HybridAI.Testing.Upstreams;

/// <summary>What a fault-injecting reply does instead of answering normally.</summary>
public enum UpstreamFault
{
    /// <summary>Answer normally (or with <see cref="UpstreamReply.StatusCode"/> when it is not 200).</summary>
    None,

    /// <summary>Send <see cref="UpstreamReply.CutAfterChunks"/> content chunks (a stream) or half the body, then reset the connection.</summary>
    Cut,

    /// <summary>200 with a body that is not valid JSON (a stream's first event is garbage).</summary>
    MalformedJson,

    /// <summary>200 with <c>text/html</c>, as a misconfigured gateway would answer.</summary>
    WrongContentType,

    /// <summary>A valid response of <see cref="UpstreamReply.HugeBytes"/> bytes, streamed without a Content-Length.</summary>
    Huge,

    /// <summary>Never answer; the request hangs until the client gives up or the upstream stops.</summary>
    Hang,
}

/// <summary>A tool call the upstream's model makes.</summary>
public sealed record UpstreamToolCall(string Id, string Name, string ArgumentsJson);

/// <summary>
/// Token usage an upstream reports. <see cref="PromptTokens"/> includes <see cref="CachedPromptTokens"/> (OpenAI's
/// meaning); the Anthropic upstream splits them into <c>input_tokens</c> and <c>cache_read_input_tokens</c> as its API does.
/// </summary>
public sealed record UpstreamUsage(int PromptTokens, int CompletionTokens, int CachedPromptTokens = 0);

/// <summary>
/// A scripted answer of an in-test LLM upstream: the text (split into stream chunks), tool calls, usage, timing, an
/// error status, or a fault. Immutable; build variants with the <c>With…</c> methods or <c>with</c>.
/// </summary>
public sealed record UpstreamReply
{
    public static UpstreamReply Default { get; } = new();

    public string Text { get; init; } = "Hello from the upstream.";

    /// <summary>Stream chunks; when null the text is split after each space.</summary>
    public IReadOnlyList<string>? Chunks { get; init; }

    public IReadOnlyList<UpstreamToolCall> ToolCalls { get; init; } = [];

    /// <summary>Reported usage; null counts words (prompt: every word of the request's messages plus 3 per message).</summary>
    public UpstreamUsage? Usage { get; init; }

    /// <summary>Report no usage at all (OpenAI-compatible servers that do not): OpenAI format only.</summary>
    public bool OmitUsage { get; init; }

    /// <summary>The finish reason in the provider's words; null picks stop/tool_calls (OpenAI) or end_turn/tool_use (Anthropic).</summary>
    public string? FinishReason { get; init; }

    /// <summary>The model name the response reports; null echoes the requested model.</summary>
    public string? Model { get; init; }

    /// <summary>Delay before the first content chunk (streams: headers and the role chunk go out at once) or the whole response.</summary>
    public TimeSpan FirstTokenDelay { get; init; }

    public TimeSpan ChunkDelay { get; init; }

    /// <summary>200 answers normally; anything else answers with the provider's error body.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>The error message in the provider's error body.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Extra response headers (Retry-After, …).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public UpstreamFault Fault { get; init; }

    public int CutAfterChunks { get; init; }

    public long HugeBytes { get; init; }

    public static UpstreamReply WithText(string text) => new() { Text = text };

    public static UpstreamReply Chunked(params string[] chunks) => new() { Text = string.Concat(chunks), Chunks = chunks };

    /// <summary>A reply whose model calls one tool (no text).</summary>
    public static UpstreamReply ToolCall(string name, string argumentsJson, string id = "call_1") =>
        new() { Text = "", ToolCalls = [new UpstreamToolCall(id, name, argumentsJson)] };

    /// <summary>An error status with the provider's error body.</summary>
    public static UpstreamReply Status(int statusCode, string? message = null) =>
        new() { StatusCode = statusCode, ErrorMessage = message ?? $"upstream error {statusCode}" };

    /// <summary>429 with a Retry-After header in whole seconds.</summary>
    public static UpstreamReply RateLimited(int retryAfterSeconds, string? message = null) =>
        Status(429, message ?? "Rate limit reached; try again later.")
            .WithHeader("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static UpstreamReply Cut(int afterChunks, string text = "one two three four five six seven eight") =>
        new() { Text = text, Fault = UpstreamFault.Cut, CutAfterChunks = afterChunks };

    public static UpstreamReply MalformedJson() => new() { Fault = UpstreamFault.MalformedJson };

    public static UpstreamReply WrongContentType() => new() { Fault = UpstreamFault.WrongContentType };

    public static UpstreamReply Huge(long bytes) => new() { Fault = UpstreamFault.Huge, HugeBytes = bytes };

    public static UpstreamReply Hang() => new() { Fault = UpstreamFault.Hang };

    public static UpstreamReply SlowFirstToken(TimeSpan delay, string text = "late but complete") => new() { Text = text, FirstTokenDelay = delay };

    public UpstreamReply WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value } };

    public UpstreamReply WithUsage(int prompt, int completion, int cached = 0) => this with { Usage = new UpstreamUsage(prompt, completion, cached) };

    public UpstreamReply WithoutUsage() => this with { OmitUsage = true };

    public UpstreamReply WithModel(string model) => this with { Model = model };

    public UpstreamReply WithFirstTokenDelay(TimeSpan delay) => this with { FirstTokenDelay = delay };

    public UpstreamReply WithChunkDelay(TimeSpan delay) => this with { ChunkDelay = delay };

    /// <summary>The stream chunks of the text.</summary>
    public IReadOnlyList<string> TextChunks()
    {
        if (Chunks is not null)
        {
            return Chunks;
        }

        var chunks = new List<string>();
        var start = 0;
        for (var i = 0; i < Text.Length; i++)
        {
            if (Text[i] == ' ')
            {
                chunks.Add(Text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < Text.Length)
        {
            chunks.Add(Text[start..]);
        }

        return chunks;
    }
}
