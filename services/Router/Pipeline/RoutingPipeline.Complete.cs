using System.Diagnostics;
using Google.Protobuf.Collections;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Governance.Client.Budgets;
using HybridAI.Router.Errors;
using HybridAI.Router.Execution;
using HybridAI.Router.Policy;
using HybridAI.Router.Privacy;
using HybridAI.Router.Requests;

namespace HybridAI.Router.Pipeline;

public sealed partial class RoutingPipeline
{
    /// <summary>Routes and executes a chat request, and records its receipt whatever happens.</summary>
    public async Task<ChatResult> CompleteAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var request = Begin(call);
        using var activity = StartActivity(request);
        try
        {
            await PlanAsync(request, cancellationToken);
            var key = CacheKeyFor(request);
            if (key is not null && await LookupCacheAsync(request, key, cancellationToken) is { } hit)
            {
                return Result(request, new ChatMessage { Role = "assistant", Content = hit.Text }, hit.FinishReason);
            }

            var messages = await AugmentAsync(request, cancellationToken);
            var result = request.Decision!.Route == RouteKind.Slm
                ? await CompleteOnSlmAsync(request, messages, cancellationToken) ?? await CompleteOnLlmAsync(request, messages, cancellationToken)
                : await CompleteOnLlmAsync(request, messages, cancellationToken);
            await StoreCacheAsync(request, key, result.Message.Content, result.FinishReason, result.Message.ToolCalls.Count > 0, cancellationToken);
            return result;
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

    /// <summary>The SLM tier's answer, or null when it escalated (the chain for the LLM tier is then selected).</summary>
    private async Task<ChatResult?> CompleteOnSlmAsync(RoutedRequest request, RepeatedField<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var decision = request.Decision!;
        if (decision.Answer == SlmAnswer.Faq)
        {
            var faq = decision.Faq ?? await FaqLookupAsync(request, cancellationToken);
            if (faq is not null && faq.Match.Score >= Thresholds(request).FaqScore)
            {
                var text = AnswerFromFaq(request, faq);
                return Result(request, new ChatMessage { Role = "assistant", Content = text }, "stop");
            }

            await EscalateAsync(request, faq is null ? "no FAQ pair matched" : $"the FAQ match {faq.Match.Score:0.###} < {Thresholds(request).FaqScore:0.###}",
                fallback: false, cancellationToken);
            return null;
        }

        var generator = (await localModels.GetAsync(cancellationToken)).Generator
            ?? throw RoutingException.Unavailable("slm_unavailable", "slm-inference has no generator any more.");
        var started = Stopwatch.GetTimestamp();
        LocalAnswer local;
        try
        {
            local = await slm.GenerateAsync(request.Call, messages, generator, request.MaxTokens, cancellationToken);
        }
        catch (RoutingException e) when (decision.Cascade && e.Kind is FailureKind.Unavailable or FailureKind.Timeout)
        {
            request.Step("slm", generator, "error", Stopwatch.GetElapsedTime(started), e.Code);
            LogLocalGenerationFailed(logger, request.Call.Caller.RequestId, generator, e.Message);
            await EscalateAsync(request, $"the local generator failed ({e.Code})", fallback: true, cancellationToken);
            return null;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        latency.Observe(SlmOptions.TargetName, elapsed);
        var weakness = CascadeJudge.Weakness(local.Text, local.MeanLogprob, local.Tokens, Thresholds(request).MeanLogprob,
            options.Value.Cascade.ResolvedRefusalPrefixes);
        request.Step("slm", generator, weakness is null ? "ok" : "escalated", elapsed, $"{local.Tokens} tokens, mean logprob {local.MeanLogprob:0.###}");
        if (weakness is not null && decision.Cascade)
        {
            await EscalateAsync(request, weakness, fallback: false, cancellationToken);
            return null;
        }

        request.Model = local.Model.Length > 0 ? local.Model : generator;
        request.SlmMeanLogprob = local.MeanLogprob;
        request.Usage = local.Usage is { } usage ? new TokenUsage(usage) { Estimated = false } : LocalUsage(request, local.Text);
        return Result(request, new ChatMessage { Role = "assistant", Content = local.Text }, local.FinishReason);
    }

    private async Task<ChatResult> CompleteOnLlmAsync(RoutedRequest request, RepeatedField<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var tools = await toolLoop.PrepareAsync(request, cancellationToken);
        var redaction = tools is null ? RedactFor(request, ref messages) : RedactForToolLoop(request, ref messages);

        var completion = LlmTier.BuildRequest(request.Call, request.Chain, messages, request.MaxTokens);
        var response = tools is null
            ? await CallLlmAsync(request, completion, turn: 0, cancellationToken)
            : await toolLoop.RunAsync(request, completion, tools, redaction, (c, turn, ct) => CallLlmAsync(request, c, turn, ct), cancellationToken);
        Served(request, response.Model, response.Usage, response.CostMicros);
        var message = response.Message ?? new ChatMessage { Role = "assistant" };
        if (redaction is not null)
        {
            message = new ChatMessage(message) { Content = redaction.Restore(message.Content) };
            foreach (var call in message.ToolCalls)
            {
                call.ArgumentsJson = redaction.Restore(call.ArgumentsJson);
            }
        }

        return Result(request, message, response.FinishReason);
    }

    /// <summary>
    /// The request's redaction for the tool loop: as for any LLM call, and also when the prompt needed none but an
    /// external target reads tool results, which may carry personal data the prompt did not (redacted with the
    /// request's placeholders).
    /// </summary>
    private IRedaction? RedactForToolLoop(RoutedRequest request, ref RepeatedField<ChatMessage> messages) =>
        RedactFor(request, ref messages) ?? (request.Chain.HasExternal ? redactions.Begin() : null);

    /// <summary>
    /// One LLM call under its own budget reservation (settled to the actual cost, released on failure). Reservations are
    /// idempotent by request id, so each later turn of a tool loop reserves under the request id with its turn appended.
    /// </summary>
    private async Task<CompletionResponse> CallLlmAsync(RoutedRequest request, CompletionRequest completion, int turn, CancellationToken cancellationToken)
    {
        var caller = turn == 0 ? request.Caller : request.Caller with { RequestId = $"{request.Caller.RequestId}.turn-{turn}" };
        var reservation = await budget.ReserveAsync(caller, request.ReservedMicros, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            CompletionResponse response;
            try
            {
                response = await llm.CompleteAsync(completion, cancellationToken);
            }
            catch (LlmFailureException failure)
            {
                RecordAttempts(request, failure.Detail?.Attempts, Stopwatch.GetElapsedTime(started));
                throw failure.ToRoutingException();
            }

            await budget.SettleAsync(reservation, response.CostMicros);
            RecordAttempts(request, response.Attempts, Stopwatch.GetElapsedTime(started));
            latency.Observe(response.Model, Stopwatch.GetElapsedTime(started));
            return response;
        }
        finally
        {
            await ReleaseAsync(reservation);
        }
    }

    /// <summary>Switches an SLM-routed request to the LLM tier (a cascade, or a fallback when the local generator failed).</summary>
    private async Task EscalateAsync(RoutedRequest request, string reason, bool fallback, CancellationToken cancellationToken)
    {
        if (fallback)
        {
            request.Fallback = true;
            telemetry.FellBack(request.Caller.TenantId);
            request.ExecutionReasons.Add($"fell back to the LLM tier: {reason}");
        }
        else
        {
            request.Cascaded = true;
            telemetry.Escalated(request.Caller.TenantId);
            request.ExecutionReasons.Add($"escalated to the LLM tier: {reason}");
        }

        request.Decision!.Route = RouteKind.Llm;
        request.Decision.Answer = SlmAnswer.None;
        SelectChain(request, await CatalogueAsync(request.Call, cancellationToken));
    }

    private string AnswerFromFaq(RoutedRequest request, FaqLookup faq)
    {
        var text = slm.FaqAnswerText(faq);
        request.Route = "slm";
        request.Answer = "faq";
        request.Model = FaqModel(faq);
        request.Usage = LocalUsage(request, text);
        request.Citations.Add(new Contracts.Router.V1.Citation { Collection = faq.Collection, DocumentId = faq.Match.Id, Score = faq.Match.Score });
        request.Step("slm", request.Model, "ok", TimeSpan.Zero, $"faq {faq.Match.Id}");
        return text;
    }

    private void Served(RoutedRequest request, string model, TokenUsage? usage, long costMicros)
    {
        request.Model = model;
        request.Usage = usage ?? new TokenUsage();
        request.CostMicros = costMicros;
        if (request.Chain.Targets.Count > 0 && model != request.Chain.Targets[0].Id)
        {
            request.Fallback = true;
            telemetry.FellBack(request.Caller.TenantId);
            request.ExecutionReasons.Add($"served by {model} after {request.Chain.Targets[0].Id} failed");
        }
    }

    private static void RecordAttempts(RoutedRequest request, IEnumerable<TargetAttempt>? attempts, TimeSpan total)
    {
        var any = false;
        foreach (var a in attempts ?? [])
        {
            any = true;
            request.Step("llm", a.Target, a.Outcome, TimeSpan.FromMilliseconds(a.LatencyMs), a.Error.Length > 200 ? a.Error[..200] : a.Error);
        }

        if (!any)
        {
            request.Step("llm", string.Join(",", request.Chain.Ids), "error", total);
        }
    }

    private static async Task ReleaseAsync(BudgetReservation? reservation)
    {
        if (reservation is not null)
        {
            // Releases only when it was not settled (a failed or cancelled call).
            await reservation.DisposeAsync();
        }
    }

    private ChatResult Result(RoutedRequest request, ChatMessage message, string finishReason)
    {
        Account(request);
        request.AnswerText = message.Content;
        return new ChatResult($"chatcmpl-{request.Caller.RequestId}", request.Model, message, finishReason, request.Usage, request.ToDecision(),
            [.. request.Citations]);
    }
}
