using System.Diagnostics;
using System.Text;
using Google.Protobuf.Collections;
using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Router.Errors;
using HybridAI.Router.Execution;
using HybridAI.Router.Policy;
using HybridAI.Router.Requests;
using HybridAI.Tokens;

namespace HybridAI.Router.Pipeline;

public sealed partial class RoutingPipeline
{
    /// <summary>
    /// Routes and streams a chat request. Nothing reaches the writer before the route is committed: a local answer under
    /// cascade is held for its first <c>Router:Cascade:StreamBufferTokens</c> tokens and judged, so an escalation to the
    /// LLM tier is invisible; the LLM tier commits at its first token (llm-proxy has already fallen back by then).
    /// </summary>
    public async Task StreamAsync(ChatCall call, IChatStreamWriter writer, CancellationToken cancellationToken)
    {
        var request = Begin(call);
        using var activity = StartActivity(request);
        try
        {
            await PlanAsync(request, cancellationToken);
            var key = CacheKeyFor(request);
            if (key is not null && await LookupCacheAsync(request, key, cancellationToken) is { } hit)
            {
                Account(request);
                request.AnswerText = hit.Text;
                await writer.BeginAsync(Id(request), request.ToDecision(), cancellationToken);
                await writer.DeltaAsync(hit.Text, [], cancellationToken);
                await writer.EndAsync(hit.FinishReason, request.Usage, request.ToDecision(), request.Citations, cancellationToken);
                return;
            }

            var messages = await AugmentAsync(request, cancellationToken);
            if (request.Decision!.Route == RouteKind.Slm && await StreamOnSlmAsync(request, messages, writer, key, cancellationToken))
            {
                return;
            }

            await StreamOnLlmAsync(request, messages, writer, key, cancellationToken);
        }
        catch (Exception e) when (Record(request, e, cancellationToken))
        {
            throw;
        }
        finally
        {
            await FinishAsync(request, activity);
        }
    }

    /// <summary>True when the SLM tier answered; false when it escalated (the LLM chain is then selected).</summary>
    private async Task<bool> StreamOnSlmAsync(RoutedRequest request, RepeatedField<ChatMessage> messages, IChatStreamWriter writer,
        Caching.CacheKey? key, CancellationToken cancellationToken)
    {
        var decision = request.Decision!;
        if (decision.Answer == SlmAnswer.Faq)
        {
            var faq = decision.Faq ?? await FaqLookupAsync(request, cancellationToken);
            if (faq is null || faq.Match.Score < Thresholds(request).FaqScore)
            {
                await EscalateAsync(request, faq is null ? "no FAQ pair matched" : $"the FAQ match {faq.Match.Score:0.###} < {Thresholds(request).FaqScore:0.###}",
                    fallback: false, cancellationToken);
                return false;
            }

            var text = AnswerFromFaq(request, faq);
            request.AnswerText = text;
            Account(request);
            await writer.BeginAsync(Id(request), request.ToDecision(), cancellationToken);
            await writer.DeltaAsync(text, [], cancellationToken);
            await writer.EndAsync("stop", request.Usage, request.ToDecision(), request.Citations, cancellationToken);
            await StoreCacheAsync(request, key, text, "stop", toolCalls: false, cancellationToken);
            return true;
        }

        var generator = (await localModels.GetAsync(cancellationToken)).Generator
            ?? throw RoutingException.Unavailable("slm_unavailable", "slm-inference has no generator any more.");
        request.Model = generator;
        var o = options.Value.Cascade;
        var hold = decision.Cascade ? o.StreamBufferTokens : 0;
        var started = Stopwatch.GetTimestamp();
        var answer = new StringBuilder();
        var held = new StringBuilder();
        var committed = false;
        var tokenCount = 0;
        var logprobs = 0.0;
        using var generation = slm.StartGenerate(request.Call, messages, generator, request.MaxTokens, cancellationToken);
        try
        {
            while (await generation.ResponseStream.MoveNext(cancellationToken))
            {
                var chunk = generation.ResponseStream.Current;
                if (chunk.Token is { } token)
                {
                    answer.Append(token.Text);
                    tokenCount++;
                    logprobs += token.Logprob;
                    if (committed)
                    {
                        await writer.DeltaAsync(token.Text, [], cancellationToken);
                        continue;
                    }

                    held.Append(token.Text);
                    if (tokenCount < hold || CascadeJudge.MayBecomeRefusal(held.ToString(), o.ResolvedRefusalPrefixes))
                    {
                        continue;
                    }

                    if (Weak(request, held.ToString(), logprobs / tokenCount, tokenCount) is { } weakness && decision.Cascade)
                    {
                        request.Step("slm", generator, "escalated", Stopwatch.GetElapsedTime(started), $"after {tokenCount} held tokens");
                        await EscalateAsync(request, weakness, fallback: false, cancellationToken);
                        return false;
                    }

                    committed = true;
                    await CommitLocalAsync(request, writer, held, cancellationToken);
                }
                else if (chunk.Done is { } done)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    latency.Observe(SlmOptions.TargetName, elapsed);
                    if (!committed)
                    {
                        if (Weak(request, answer.ToString(), done.MeanLogprob, tokenCount) is { } weakness && decision.Cascade)
                        {
                            request.Step("slm", generator, "escalated", elapsed, $"{tokenCount} tokens, mean logprob {done.MeanLogprob:0.###}");
                            await EscalateAsync(request, weakness, fallback: false, cancellationToken);
                            return false;
                        }

                        committed = true;
                        await CommitLocalAsync(request, writer, held, cancellationToken);
                    }

                    request.Step("slm", generator, "ok", elapsed, $"{tokenCount} tokens, mean logprob {done.MeanLogprob:0.###}");
                    request.Model = done.Model.Length > 0 ? done.Model : generator;
                    request.AnswerText = answer.ToString();
                    request.SlmMeanLogprob = done.MeanLogprob;
                    request.Usage = done.Usage is { } usage ? new TokenUsage(usage) : LocalUsage(request, answer.ToString());
                    Account(request);
                    var finish = SlmTier.FinishReason(done.FinishReason);
                    await writer.EndAsync(finish, request.Usage, request.ToDecision(), request.Citations, cancellationToken);
                    await StoreCacheAsync(request, key, answer.ToString(), finish, toolCalls: false, cancellationToken);
                    return true;
                }
            }

            throw RoutingException.Unavailable("slm_failed", "slm-inference ended the generation without its final message.");
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            if (!committed && decision.Cascade)
            {
                request.Step("slm", generator, "error", Stopwatch.GetElapsedTime(started), e.StatusCode.ToString());
                await EscalateAsync(request, $"the local generator failed ({e.StatusCode})", fallback: true, cancellationToken);
                return false;
            }

            throw SlmTier.Failure(e);
        }
    }

    private string? Weak(RoutedRequest request, string text, double meanLogprob, int tokens) =>
        CascadeJudge.Weakness(text, meanLogprob, tokens, Thresholds(request).MeanLogprob, options.Value.Cascade.ResolvedRefusalPrefixes);

    private static async Task CommitLocalAsync(RoutedRequest request, IChatStreamWriter writer, StringBuilder held, CancellationToken cancellationToken)
    {
        await writer.BeginAsync(Id(request), request.ToDecision(), cancellationToken);
        if (held.Length > 0)
        {
            await writer.DeltaAsync(held.ToString(), [], cancellationToken);
        }
    }

    private async Task StreamOnLlmAsync(RoutedRequest request, RepeatedField<ChatMessage> messages, IChatStreamWriter writer,
        Caching.CacheKey? key, CancellationToken cancellationToken)
    {
        if (await toolLoop.PrepareAsync(request, cancellationToken) is { } tools)
        {
            await StreamToolLoopAsync(request, messages, tools, writer, cancellationToken);
            return;
        }

        var redaction = RedactFor(request, ref messages);
        var restorer = redaction?.StreamRestorer();
        var completion = LlmTier.BuildRequest(request.Call, request.Chain, messages, request.MaxTokens);
        var reservation = await budget.ReserveAsync(request.Caller, request.ReservedMicros, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var sent = new StringBuilder();
        var toolCalls = false;
        var begun = false;
        try
        {
            using var stream = llm.StartStream(completion, cancellationToken);
            while (await stream.ResponseStream.MoveNext(cancellationToken))
            {
                var chunk = stream.ResponseStream.Current;
                if (chunk.Delta is { } delta)
                {
                    if (!begun)
                    {
                        begun = true;
                        request.Model = delta.Model.Length > 0 ? delta.Model : request.Chain.Targets[0].Id;
                        await writer.BeginAsync(Id(request), request.ToDecision(), cancellationToken);
                    }

                    var content = restorer is null ? delta.Content : restorer.Push(delta.Content);
                    sent.Append(delta.Content);
                    if (redaction is not null)
                    {
                        foreach (var call in delta.ToolCalls)
                        {
                            call.ArgumentsFragment = redaction.Restore(call.ArgumentsFragment);
                        }
                    }

                    toolCalls |= delta.ToolCalls.Count > 0;
                    if (content.Length > 0 || delta.ToolCalls.Count > 0)
                    {
                        await writer.DeltaAsync(content, delta.ToolCalls, cancellationToken);
                    }
                }
                else if (chunk.Done is { } done)
                {
                    if (!begun)
                    {
                        begun = true;
                        request.Model = done.Model;
                        await writer.BeginAsync(Id(request), request.ToDecision(), cancellationToken);
                    }

                    if (restorer?.Flush() is { Length: > 0 } rest)
                    {
                        await writer.DeltaAsync(rest, [], cancellationToken);
                    }

                    await budget.SettleAsync(reservation, done.CostMicros);
                    RecordAttempts(request, done.Attempts, Stopwatch.GetElapsedTime(started));
                    latency.Observe(done.Model, Stopwatch.GetElapsedTime(started));
                    Served(request, done.Model, done.Usage, done.CostMicros);
                    Account(request);
                    await writer.EndAsync(done.FinishReason, request.Usage, request.ToDecision(), request.Citations, cancellationToken);
                    var answer = redaction is null ? sent.ToString() : redaction.Restore(sent.ToString());
                    await StoreCacheAsync(request, key, answer, done.FinishReason, toolCalls, cancellationToken);
                    return;
                }
            }

            throw RoutingException.Unavailable("upstream_unavailable", "llm-proxy ended the stream without its final message.");
        }
        catch (RpcException e)
        {
            var failure = LlmTier.Failure(e, cancellationToken);
            RecordAttempts(request, failure.Detail?.Attempts, Stopwatch.GetElapsedTime(started));
            if (begun)
            {
                // Content was used: charge what was sent, as llm-proxy accounted it, or as counted here when the caller left.
                var cost = failure.Detail is { Partial: true } partial ? partial.CostMicros : EstimateSent(request, sent.ToString());
                request.Usage = failure.Detail?.Usage ?? new TokenUsage
                {
                    PromptTokens = request.Signals!.PromptTokens,
                    CompletionTokens = tokens.Count(TokenCounter.O200k, sent.ToString()),
                    Estimated = true,
                };
                request.CostMicros = cost;
                await budget.SettleAsync(reservation, cost);
                LogPartial(logger, request.Caller.RequestId, request.Model, e.StatusCode);
            }

            throw failure.ToRoutingException();
        }
        finally
        {
            await ReleaseAsync(reservation);
        }
    }

    private long EstimateSent(RoutedRequest request, string sent)
    {
        var target = request.Chain.Targets.FirstOrDefault(t => t.Id == request.Model);
        return target is null ? 0 : Pricing.ActualMicros(target, new TokenUsage
        {
            PromptTokens = request.Signals!.PromptTokens,
            CompletionTokens = tokens.Count(TokenCounter.O200k, sent),
        });
    }

    private static string Id(RoutedRequest request) => $"chatcmpl-{request.Caller.RequestId}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the local generator {Generator} failed, the LLM tier serves it: {Error}")]
    private static partial void LogLocalGenerationFailed(ILogger logger, string requestId, string generator, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {RequestId} from {Model} ended early ({Status}); what was sent is charged")]
    private static partial void LogPartial(ILogger logger, string requestId, string model, StatusCode status);
}
