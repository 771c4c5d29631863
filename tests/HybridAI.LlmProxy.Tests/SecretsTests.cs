using System.Diagnostics;
using System.Text;
using Grpc.Core;
using HybridAI.Testing.Upstreams;

namespace HybridAI.LlmProxy.Tests;

/// <summary>
/// Keys reach the upstreams that need them and nothing else: not logs (at Trace level), traces, gRPC errors,
/// attempts or ListModels, across successes, retries, fallbacks, provider errors that echo the key, and broken streams.
/// </summary>
public sealed class SecretsTests
{
    private static readonly string OpenAIKey = $"hybridai-openai-secret-{Guid.NewGuid():N}";
    private static readonly string AnthropicKey = $"hybridai-anthropic-secret-{Guid.NewGuid():N}";
    private static readonly string DefaultKey = $"hybridai-default-secret-{Guid.NewGuid():N}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KeysNeverAppearInLogsTracesErrorsOrTheCatalogue()
    {
        await using var openai = await OpenAIUpstream.StartAsync(Ct);
        await using var anthropic = await AnthropicUpstream.StartAsync(Ct);
        await using var local = await OpenAIUpstream.StartAsync(Ct);
        var settings = ProxyHost.Merge(
            ProxyHost.Model(0, "gpt", openai, "openai", apiKey: OpenAIKey),
            ProxyHost.Model(1, "claude", anthropic, "anthropic", "claude-test", apiKey: AnthropicKey));
        settings["LlmProxy:Default:Endpoint"] = local.BaseAddress.ToString();
        settings["LlmProxy:Default:ApiKey"] = DefaultKey;
        await using var proxy = ProxyHost.Start(settings);
        var seen = new StringBuilder();

        // Success on each provider, unary and streamed.
        foreach (var target in new[] { "gpt", "claude", "default" })
        {
            seen.Append(await proxy.Client.CompleteAsync(ProxyHost.Request(target), cancellationToken: Ct));
            seen.Append((await proxy.StreamAsync(ProxyHost.Request(target), Ct)).Done);
        }

        // Providers that echo the key in their errors: retried 500s, a 401, a 429, then a fallback.
        openai.Enqueue(
            UpstreamReply.Status(500, $"internal error for key {OpenAIKey}"),
            UpstreamReply.Status(500, $"Authorization: Bearer {OpenAIKey}"),
            UpstreamReply.Status(401, $"Incorrect API key provided: {OpenAIKey}"));
        anthropic.Enqueue(UpstreamReply.RateLimited(60, $"rate limited for x-api-key {AnthropicKey}"));
        seen.Append(await proxy.Client.CompleteAsync(ProxyHost.Request("gpt", "claude", "default"), cancellationToken: Ct));

        // Every target fails with the key in the message.
        openai.Enqueue(UpstreamReply.Status(401, $"Incorrect API key provided: {OpenAIKey}"));
        local.Enqueue(UpstreamReply.Status(403, $"key {DefaultKey} may not use this model"));
        var error = await Assert.ThrowsAsync<RpcException>(() => proxy.Client.CompleteAsync(ProxyHost.Request("gpt", "default"), cancellationToken: Ct).ResponseAsync);
        seen.Append(error.Status.Detail).Append(error.GetRpcStatus());
        Assert.Contains("[redacted]", error.Status.Detail, StringComparison.Ordinal);

        // A stream that breaks after its first tokens.
        local.Enqueue(UpstreamReply.Cut(2));
        var partial = await Assert.ThrowsAsync<RpcException>(() => proxy.StreamAsync(ProxyHost.Request("default"), Ct));
        seen.Append(partial.Status.Detail).Append(partial.GetRpcStatus());

        seen.Append(await proxy.Client.ListModelsAsync(new(), cancellationToken: Ct));

        var logs = proxy.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        foreach (var record in logs)
        {
            seen.Append(record.Level).Append(' ').Append(record.Category).Append(": ").Append(record.Message).AppendLine();
            seen.Append(record.Exception);
            foreach (var (key, value) in record.StructuredState ?? [])
            {
                seen.Append(key).Append('=').Append(value).AppendLine();
            }
        }

        var spans = proxy.Spans;
        Assert.Contains(spans, s => s.DisplayName.StartsWith("chat ", StringComparison.Ordinal));
        foreach (var span in spans)
        {
            AppendSpan(seen, span);
        }

        var text = seen.ToString();
        Assert.Contains("Incorrect API key provided", text, StringComparison.Ordinal);
        foreach (var secret in new[] { OpenAIKey, AnthropicKey, DefaultKey })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        // The keys were used where they belong.
        Assert.Contains(openai.Requests, r => r.Header("Authorization") == $"Bearer {OpenAIKey}");
        Assert.Contains(anthropic.Requests, r => (r.Header("Authorization") ?? r.Header("x-api-key"))!.Contains(AnthropicKey, StringComparison.Ordinal));
        Assert.Contains(local.Requests, r => r.Header("Authorization") == $"Bearer {DefaultKey}");
    }

    [Fact]
    public async Task EndpointsCarryingCredentialsAreRefusedAtStart()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        var settings = ProxyHost.Model(0, "a", upstream);
        settings["LlmProxy:Models:0:Endpoint"] = $"http://user:{OpenAIKey}@127.0.0.1:1/v1?api-key={OpenAIKey}";

        var message = Testing.ServiceStartup.AssertRefusesToStart<LlmProxyOptions>(settings, "LlmProxy:Models:0:Endpoint");

        Assert.Contains("must not carry credentials", message, StringComparison.Ordinal);
    }

    private static void AppendSpan(StringBuilder text, Activity span)
    {
        text.Append(span.DisplayName).Append(' ').Append(span.StatusDescription).AppendLine();
        foreach (var (key, value) in span.TagObjects)
        {
            text.Append(key).Append('=').Append(value is string[] a ? string.Join(",", a) : value).AppendLine();
        }

        foreach (var e in span.Events)
        {
            text.Append(e.Name).AppendLine();
            foreach (var (key, value) in e.Tags)
            {
                text.Append(key).Append('=').Append(value).AppendLine();
            }
        }
    }
}
