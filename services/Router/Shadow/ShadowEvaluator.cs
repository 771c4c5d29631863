using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Router.Execution;
using HybridAI.Router.Privacy;
using HybridAI.Router.Signals;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Shadow;

/// <summary>
/// Evaluates one sample: re-runs the conversation on the LLM tier (through llm-proxy, on the chain the tenant's policy
/// allows), then scores the served answer against the LLM's, by exact match for label-like intents or by the judge's
/// rubric. For a redact-mode tenant everything that leaves (conversation and served answer) is redacted first, with one
/// redaction so the same value gets the same placeholder in both.
/// </summary>
public sealed class ShadowEvaluator(LlmTier llm, IPiiScanner scanner, IRedactionFactory redactions, IOptions<RouterOptions> options, TimeProvider clock)
{
    public const string ExactMatchJudge = "exact-match";

    public async Task<ShadowEvaluation> EvaluateAsync(ShadowSample sample, CancellationToken cancellationToken)
    {
        var o = options.Value.Shadow;
        var messages = sample.Call.Request.Messages;
        var served = sample.ServedAnswer;
        if (sample.Redact)
        {
            var redaction = redactions.Begin();
            var redacted = new RepeatedField<ChatMessage>();
            foreach (var message in messages)
            {
                redacted.Add(new ChatMessage(message) { Content = Redact(redaction, message.Content) });
            }

            messages = redacted;
            served = Redact(redaction, served);
        }

        var rerun = LlmTier.BuildRequest(sample.Call, sample.Chain, messages, o.MaxTokens);
        rerun.Context.RequestId = $"{sample.RequestId}-shadow";
        var cost = 0L;
        CompletionResponse reference;
        try
        {
            reference = await llm.CompleteAsync(rerun, cancellationToken);
        }
        catch (LlmFailureException e)
        {
            return ShadowEvaluation.Failed(e.Detail?.CostMicros ?? 0, $"the re-run failed ({e.Code})");
        }

        cost += reference.CostMicros;
        var referenceText = reference.Message?.Content ?? "";
        var result = new ShadowResult
        {
            TenantId = sample.TenantId,
            RequestId = sample.RequestId,
            ShadowModel = reference.Model,
            ShadowCostMicros = reference.CostMicros,
        };

        if (sample.Judge is not { } judge)
        {
            var same = ShadowRubric.ExactMatch(served, referenceText);
            result.Judge = ExactMatchJudge;
            result.ExactMatch = same;
            result.Parity = same ? 1 : 0;
            result.Verdict = same ? "match" : "no match";
            result.Time = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
            return new ShadowEvaluation(result, cost, null);
        }

        var judging = new CompletionRequest
        {
            Targets = { judge.Id },
            Messages =
            {
                new ChatMessage { Role = "system", Content = ShadowRubric.System },
                new ChatMessage { Role = "user", Content = ShadowRubric.Prompt(messages, referenceText, served) },
            },
            MaxTokens = o.JudgeMaxTokens,
            Temperature = 0,
            Context = new RequestContext { TenantId = sample.TenantId, RequestId = $"{sample.RequestId}-judge", ApiKeyId = sample.Call.Caller.ApiKeyId },
        };
        CompletionResponse verdict;
        try
        {
            verdict = await llm.CompleteAsync(judging, cancellationToken);
        }
        catch (LlmFailureException e)
        {
            return ShadowEvaluation.Failed(cost + (e.Detail?.CostMicros ?? 0), $"the judge failed ({e.Code})");
        }

        cost += verdict.CostMicros;
        var line = verdict.Message?.Content ?? "";
        if (ShadowRubric.Parse(line) is not { } parity)
        {
            return new ShadowEvaluation(null, cost, "unparseable_verdict");
        }

        result.Judge = judge.Id;
        result.JudgeCostMicros = verdict.CostMicros;
        result.Parity = parity;
        result.Verdict = line.Length > 500 ? line[..500] : line.Trim();
        result.Time = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        return new ShadowEvaluation(result, cost, null);
    }

    private string Redact(IRedaction redaction, string text)
    {
        var findings = scanner.Detect(text);
        return findings.Count == 0 ? text : redaction.Redact(text, findings, []);
    }
}

/// <summary>What an evaluation produced: a result to record (or null, with the reason), and what it cost.</summary>
public sealed record ShadowEvaluation(ShadowResult? Result, long CostMicros, string? Failure)
{
    public static ShadowEvaluation Failed(long costMicros, string reason) => new(null, costMicros, reason);
}
