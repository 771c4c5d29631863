using System.Diagnostics;
using System.Diagnostics.Metrics;
using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Providers;
using Microsoft.Extensions.AI;

namespace HybridAI.LlmProxy.Telemetry;

/// <summary>
/// The proxy's spans and metrics (ActivitySource and Meter <c>HybridAI.LlmProxy</c>). Each upstream call is a
/// GenAI client span <c>chat {model}</c> with <c>gen_ai.*</c> attributes and feeds the GenAI client metrics; a request
/// span carries the fallback chain, retries and fallbacks as events, the usage and the cost.
/// </summary>
public sealed class LlmProxyTelemetry : IDisposable
{
    public const string Name = "HybridAI.LlmProxy";

    // Bucket boundaries the GenAI semantic conventions recommend.
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly int[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstChunk;
    private readonly Histogram<int> _tokens;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _breakerTransitions;
    private readonly Counter<long> _cost;
    private readonly Counter<long> _requests;

    public LlmProxyTelemetry(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(Name);
        _duration = Meter.CreateHistogram("gen_ai.client.operation.duration", "s", "GenAI operation duration.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _timeToFirstChunk = Meter.CreateHistogram("gen_ai.client.operation.time_to_first_chunk", "s",
            "Time from the request to the first streamed chunk.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _tokens = Meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Number of input and output tokens used.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = TokenBuckets });
        _retries = Meter.CreateCounter<long>("hybridai.llm_proxy.retries", "{retry}", "Retries of an upstream call on the same target.");
        _fallbacks = Meter.CreateCounter<long>("hybridai.llm_proxy.fallbacks", "{fallback}", "Moves from a failed target to the next in the chain.");
        _breakerTransitions = Meter.CreateCounter<long>("hybridai.llm_proxy.circuit_breaker.transitions", "{transition}", "Circuit breaker state changes per target.");
        _cost = Meter.CreateCounter<long>("hybridai.llm_proxy.cost", "{micro-USD}", "Cost of the tokens used, from the catalogue prices.");
        _requests = Meter.CreateCounter<long>("hybridai.llm_proxy.requests", "{request}", "Completed Complete and Stream calls by outcome.");
    }

    public ActivitySource Source { get; } = new(Name);

    public Meter Meter { get; }

    /// <summary>The request span: one per Complete or Stream call.</summary>
    public Activity? StartRequest(string operation, CompletionRequest request)
    {
        var activity = Source.StartActivity(operation == "Complete" ? "llm_proxy Complete" : "llm_proxy Stream", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("hybridai.llm_proxy.targets", request.Targets.ToArray());
            if (request.Context is { } context)
            {
                if (context.TenantId.Length > 0)
                {
                    activity.SetTag("hybridai.tenant_id", context.TenantId);
                }

                if (context.RequestId.Length > 0)
                {
                    activity.SetTag("hybridai.request_id", context.RequestId);
                }
            }
        }

        return activity;
    }

    /// <summary>A GenAI client span for one upstream call.</summary>
    public Activity? StartChat(CatalogueEntry entry, ChatOptions options, bool streaming)
    {
        var activity = Source.StartActivity($"chat {entry.UpstreamModel}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.provider.name", entry.TelemetryProvider);
            activity.SetTag("gen_ai.request.model", entry.UpstreamModel);
            activity.SetTag("server.address", entry.Endpoint.Host);
            activity.SetTag("server.port", entry.Endpoint.Port);
            activity.SetTag("hybridai.llm_proxy.target", entry.Id);
            activity.SetTag("hybridai.llm_proxy.streaming", streaming);
            if (options.MaxOutputTokens is { } max)
            {
                activity.SetTag("gen_ai.request.max_tokens", max);
            }

            if (options.Temperature is { } temperature)
            {
                activity.SetTag("gen_ai.request.temperature", temperature);
            }

            if (options.TopP is { } topP)
            {
                activity.SetTag("gen_ai.request.top_p", topP);
            }

            if (options.Seed is { } seed)
            {
                activity.SetTag("gen_ai.request.seed", seed);
            }
        }

        return activity;
    }

    /// <summary>Ends a chat span and records the GenAI metrics of a successful call.</summary>
    public void ChatSucceeded(Activity? activity, CatalogueEntry entry, long startTimestamp, ChatOutcome outcome)
    {
        var tags = CallTags(entry, outcome.ResponseModel, null);
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
        RecordTokens(tags, outcome);
        if (activity is null)
        {
            return;
        }

        if (outcome.ResponseModel.Length > 0)
        {
            activity.SetTag("gen_ai.response.model", outcome.ResponseModel);
        }

        if (outcome.ResponseId is { Length: > 0 } id)
        {
            activity.SetTag("gen_ai.response.id", id);
        }

        if (outcome.FinishReason.Length > 0)
        {
            activity.SetTag("gen_ai.response.finish_reasons", new[] { outcome.FinishReason });
        }

        activity.SetTag("gen_ai.usage.input_tokens", outcome.PromptTokens);
        activity.SetTag("gen_ai.usage.output_tokens", outcome.CompletionTokens);
        if (outcome.CachedPromptTokens > 0)
        {
            activity.SetTag("gen_ai.usage.cache_read.input_tokens", outcome.CachedPromptTokens);
        }

        activity.SetTag("hybridai.llm_proxy.usage_estimated", outcome.Estimated);
        activity.Dispose();
    }

    /// <summary>Ends a chat span as failed and records its duration with <c>error.type</c>.</summary>
    public void ChatFailed(Activity? activity, CatalogueEntry entry, long startTimestamp, string errorType, string message)
    {
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, CallTags(entry, "", errorType));
        if (activity is null)
        {
            return;
        }

        activity.SetTag("error.type", errorType);
        activity.SetStatus(ActivityStatusCode.Error, message);
        activity.Dispose();
    }

    /// <summary>Tokens of a stream that failed after content was sent: still used, still billed.</summary>
    public void PartialUsage(CatalogueEntry entry, ChatOutcome outcome) => RecordTokens(CallTags(entry, outcome.ResponseModel, "partial"), outcome);

    public void FirstChunk(CatalogueEntry entry, TimeSpan elapsed) =>
        _timeToFirstChunk.Record(elapsed.TotalSeconds, CallTags(entry, "", null));

    public void Retry(CatalogueEntry entry, UpstreamException failure, int attempt, TimeSpan delay)
    {
        _retries.Add(1, new TagList { { "hybridai.llm_proxy.target", entry.Id }, { "error.type", failure.ErrorType } });
        Activity.Current?.AddEvent(new ActivityEvent("hybridai.llm_proxy.retry", tags: new ActivityTagsCollection
        {
            ["hybridai.llm_proxy.target"] = entry.Id,
            ["hybridai.llm_proxy.retry.attempt"] = attempt,
            ["hybridai.llm_proxy.retry.delay_ms"] = (long)delay.TotalMilliseconds,
            ["error.type"] = failure.ErrorType,
        }));
    }

    public void Fallback(Activity? request, string from, string to, string outcome)
    {
        _fallbacks.Add(1, new TagList { { "hybridai.llm_proxy.from", from }, { "hybridai.llm_proxy.to", to }, { "hybridai.llm_proxy.outcome", outcome } });
        request?.AddEvent(new ActivityEvent("hybridai.llm_proxy.fallback", tags: new ActivityTagsCollection
        {
            ["hybridai.llm_proxy.from"] = from,
            ["hybridai.llm_proxy.to"] = to,
            ["hybridai.llm_proxy.outcome"] = outcome,
        }));
    }

    public void BreakerTransition(string target, string state) =>
        _breakerTransitions.Add(1, new TagList { { "hybridai.llm_proxy.target", target }, { "hybridai.llm_proxy.circuit_state", state } });

    /// <summary>Closes the request span with how it ended, what served it, the usage and the cost.</summary>
    public void RequestFinished(Activity? request, string rpc, string outcome, string? model, ChatOutcome? usage, long costMicros, int fallbacks)
    {
        _requests.Add(1, new TagList { { "rpc.method", rpc }, { "hybridai.llm_proxy.outcome", outcome } });
        if (model is not null && costMicros > 0)
        {
            _cost.Add(costMicros, new TagList { { "hybridai.llm_proxy.model", model } });
        }

        if (request is null)
        {
            return;
        }

        request.SetTag("hybridai.llm_proxy.outcome", outcome);
        request.SetTag("hybridai.llm_proxy.fallbacks", fallbacks);
        if (model is not null)
        {
            request.SetTag("hybridai.llm_proxy.model", model);
            request.SetTag("hybridai.llm_proxy.cost_micros", costMicros);
        }

        if (usage is not null)
        {
            request.SetTag("gen_ai.usage.input_tokens", usage.PromptTokens);
            request.SetTag("gen_ai.usage.output_tokens", usage.CompletionTokens);
            request.SetTag("hybridai.llm_proxy.usage_estimated", usage.Estimated);
        }

        if (outcome != "ok")
        {
            request.SetStatus(ActivityStatusCode.Error, outcome);
        }

        request.Dispose();
    }

    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
    }

    private void RecordTokens(TagList callTags, ChatOutcome outcome)
    {
        if (!_tokens.Enabled)
        {
            return;
        }

        var input = callTags;
        input.Add("gen_ai.token.type", "input");
        input.Add("hybridai.llm_proxy.usage_estimated", outcome.Estimated);
        _tokens.Record(outcome.PromptTokens, input);
        var output = callTags;
        output.Add("gen_ai.token.type", "output");
        output.Add("hybridai.llm_proxy.usage_estimated", outcome.Estimated);
        _tokens.Record(outcome.CompletionTokens, output);
    }

    private static TagList CallTags(CatalogueEntry entry, string responseModel, string? errorType)
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.provider.name", entry.TelemetryProvider },
            { "gen_ai.request.model", entry.UpstreamModel },
            { "server.address", entry.Endpoint.Host },
            { "server.port", entry.Endpoint.Port },
        };
        if (responseModel.Length > 0)
        {
            tags.Add("gen_ai.response.model", responseModel);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        return tags;
    }
}

/// <summary>The result facts of one upstream call that telemetry, usage and cost need.</summary>
public sealed record ChatOutcome(
    string ResponseModel, string? ResponseId, string FinishReason,
    int PromptTokens, int CachedPromptTokens, int CompletionTokens, bool Estimated);
