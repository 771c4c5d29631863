using Grpc.Core;
using HybridAI.Contracts;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Router.Errors;
using HybridAI.Router.Policy;
using HybridAI.Router.Requests;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Execution;

/// <summary>
/// The SLM tier: answers from the tenant's FAQ knowledge base (retrieval's <c>MatchFaq</c>), and local generation
/// through slm-inference's <c>Generate</c>. The tenant reaches retrieval as the <c>x-hybridai-tenant</c> metadata, so a
/// tenant only ever matches its own collections.
/// </summary>
public sealed partial class SlmTier(
    RetrievalService.RetrievalServiceClient retrieval, InferenceService.InferenceServiceClient inference, IOptions<RouterOptions> options,
    ILogger<SlmTier> logger)
{
    /// <summary>
    /// The best FAQ pair over the tenant's FAQ collections (<c>Router:Slm:FaqCollections</c>), or null. A missing
    /// collection is no match; an unreachable retrieval is no match too (logged): the request goes on to the next rule.
    /// </summary>
    public async Task<FaqLookup?> MatchFaqAsync(Caller caller, string query, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return null;
        }

        FaqLookup? best = null;
        foreach (var collection in options.Value.Slm.ResolvedFaqCollections)
        {
            try
            {
                var response = await retrieval.MatchFaqAsync(new MatchFaqRequest { Collection = collection, Query = query },
                    Headers(caller), DateTime.UtcNow.Add(options.Value.RetrievalTimeout), cancellationToken);
                if (response.Match is { } match && (best is null || match.Score > best.Match.Score))
                {
                    best = new FaqLookup(match, collection);
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // The tenant has no such collection: nothing to match.
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
            {
                LogFaqFailed(logger, collection, e.StatusCode, e.Status.Detail);
            }
        }

        return best;
    }

    /// <summary>The FAQ answer's text: the pair's answer and, unless switched off, a line citing it.</summary>
    public string FaqAnswerText(FaqLookup faq)
    {
        var line = options.Value.Slm.FaqSourceLine;
        return line.Length == 0
            ? faq.Match.Answer
            : faq.Match.Answer + line.Replace("{question}", faq.Match.Question, StringComparison.Ordinal)
                .Replace("{id}", faq.Match.Id, StringComparison.Ordinal)
                .Replace("{collection}", faq.Collection, StringComparison.Ordinal);
    }

    /// <summary>Starts local generation (the caller reads the token stream, and disposing the call cancels it).</summary>
    public AsyncServerStreamingCall<GenerateChunk> StartGenerate(
        ChatCall call, IEnumerable<ChatMessage> messages, string generator, int? maxTokens, CancellationToken cancellationToken)
    {
        var r = call.Request;
        var limit = options.Value.Slm.GeneratorMaxTokens;
        var request = new GenerateRequest
        {
            Model = generator,
            MaxTokens = Math.Min(maxTokens ?? limit, limit),
            Messages = { messages },
            Stop = { r.Stop },
        };
        if (r.HasTemperature)
        {
            request.Temperature = (float)r.Temperature;
        }

        if (r.HasTopP)
        {
            request.TopP = (float)r.TopP;
        }

        if (r.HasSeed)
        {
            request.Seed = r.Seed;
        }

        return inference.Generate(request, Headers(call.Caller), DateTime.UtcNow.Add(options.Value.SlmTimeout), cancellationToken);
    }

    /// <summary>Generates a whole local answer.</summary>
    public async Task<LocalAnswer> GenerateAsync(
        ChatCall call, IEnumerable<ChatMessage> messages, string generator, int? maxTokens, CancellationToken cancellationToken)
    {
        using var stream = StartGenerate(call, messages, generator, maxTokens, cancellationToken);
        var text = new System.Text.StringBuilder();
        var tokens = 0;
        try
        {
            while (await stream.ResponseStream.MoveNext(cancellationToken))
            {
                var chunk = stream.ResponseStream.Current;
                if (chunk.Token is { } token)
                {
                    text.Append(token.Text);
                    tokens++;
                }
                else if (chunk.Done is { } done)
                {
                    return new LocalAnswer(text.ToString(), done.MeanLogprob, tokens, FinishReason(done.FinishReason), done.Model, done.Usage);
                }
            }
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw Failure(e);
        }

        throw RoutingException.Unavailable("slm_failed", "slm-inference ended the generation without its final message.");
    }

    /// <summary>A generation that failed, as the pipeline's failure (it may fall back to the LLM tier when the data allows).</summary>
    public static RoutingException Failure(RpcException e) => e.StatusCode == StatusCode.DeadlineExceeded
        ? new RoutingException(FailureKind.Timeout, "slm_timeout", "The local generator did not answer within Router:SlmTimeout.", inner: e)
        : RoutingException.Unavailable("slm_failed", $"The local generator failed: {e.StatusCode} ({e.Status.Detail}).", TimeSpan.FromSeconds(1), e);

    /// <summary>OpenAI's finish reasons: a generator's end-of-sequence is a natural stop.</summary>
    public static string FinishReason(string generator) => generator == "length" ? "length" : "stop";

    private static Metadata Headers(Caller caller) => new()
    {
        { HybridAIHeaders.Tenant, caller.TenantId },
        { HybridAIHeaders.RequestId, caller.RequestId },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "FAQ lookup in collection {Collection} failed ({Status}: {Detail}); the request goes on without an FAQ answer")]
    private static partial void LogFaqFailed(ILogger logger, string collection, StatusCode status, string detail);
}

/// <summary>A complete local answer and how sure the model was of it.</summary>
public sealed record LocalAnswer(string Text, double MeanLogprob, int Tokens, string FinishReason, string Model, TokenUsage? Usage);
