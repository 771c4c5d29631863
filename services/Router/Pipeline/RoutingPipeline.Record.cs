using System.Diagnostics;
using Google.Protobuf.Collections;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Router.Errors;
using HybridAI.Router.Execution;
using HybridAI.Router.Policy;
using HybridAI.Router.Privacy;
using HybridAI.Router.Signals;
using HybridAI.Router.Telemetry;

namespace HybridAI.Router.Pipeline;

public sealed partial class RoutingPipeline
{
    private static Activity? StartActivity(RoutedRequest request)
    {
        var activity = RouterTelemetry.Source.StartActivity("router chat");
        activity?.SetTag("hybridai.tenant", request.Caller.TenantId);
        activity?.SetTag("hybridai.request_id", request.Caller.RequestId);
        activity?.SetTag("gen_ai.operation.name", "chat");
        activity?.SetTag("gen_ai.request.model", request.Call.Model);
        return activity;
    }

    /// <summary>Records a failure on the request (as an exception filter: it never catches).</summary>
    private static bool Record(RoutedRequest request, Exception e, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case RoutingException { Kind: FailureKind.Cancelled }:
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                request.Outcome = "cancelled";
                request.Error = "the caller went away";
                break;
            case RoutingException routing:
                request.Outcome = routing.Kind == FailureKind.Blocked ? "blocked" : "error";
                request.Error = routing.Message;
                if (routing.Kind == FailureKind.Blocked)
                {
                    request.Route = "blocked";
                    request.Answer = "blocked";
                    request.Decision ??= new PolicyDecision { Route = RouteKind.Blocked, Rule = routing.Code };
                    request.Decision.BlockCode ??= routing.Code;
                }

                routing.Decision = request.ToDecision();
                break;
            default:
                request.Outcome = "error";
                request.Error = e.Message;
                break;
        }

        return false;
    }

    /// <summary>The baseline: this request's tokens at the baseline model's prices (what an all-LLM deployment would pay).</summary>
    private void Account(RoutedRequest request)
    {
        if (BaselineModel(request) is not { } baseline)
        {
            return;
        }

        var usage = request.Usage.PromptTokens > 0 ? request.Usage : new TokenUsage(request.Usage) { PromptTokens = request.Signals?.PromptTokens ?? 0 };
        request.BaselineMicros = request.Route == "llm" && request.Model == baseline.Id ? request.CostMicros : Pricing.ActualMicros(baseline, usage);
    }

    private CatalogueModel? BaselineModel(RoutedRequest request)
    {
        var snapshot = catalogue.Current;
        var configured = options.Value.BaselineModel;
        if (configured.Length > 0 && snapshot?.Find(configured) is { } named)
        {
            return named;
        }

        return request.Chain.Targets.FirstOrDefault(t => !t.Local) ?? snapshot?.Models.FirstOrDefault(t => !t.Local);
    }

    private async Task FinishAsync(RoutedRequest request, Activity? activity)
    {
        if (request.Outcome != "ok")
        {
            Account(request);
        }

        var model = request.Model.Length > 0 ? request.Model : request.Route;
        telemetry.RequestFinished(request.Route, model, request.Caller.TenantId, request.Elapsed, request.CostMicros, request.BaselineMicros);
        if (activity is not null)
        {
            activity.SetTag("hybridai.route", request.Route);
            activity.SetTag("hybridai.answer", request.Answer);
            activity.SetTag("hybridai.model", model);
            activity.SetTag("hybridai.rule", request.Decision?.Rule);
            activity.SetTag("hybridai.reason", request.Reason);
            activity.SetTag("hybridai.data_class", DataClasses.Name(request.DataClass));
            activity.SetTag("hybridai.cascaded", request.Cascaded);
            activity.SetTag("hybridai.fallback", request.Fallback);
            activity.SetTag("hybridai.cache_hit", request.CacheHit);
            activity.SetTag("hybridai.redacted", request.Redacted);
            activity.SetTag("hybridai.cost_usd", (double)Pricing.Usd(request.CostMicros));
            activity.SetTag("hybridai.baseline_cost_usd", (double)Pricing.Usd(request.BaselineMicros));
            activity.SetTag("hybridai.outcome", request.Outcome);
            if (request.Signals is { } s)
            {
                activity.SetTag("hybridai.signals.intent", s.Intent);
                activity.SetTag("hybridai.signals.needs_llm", s.NeedsLlm);
                activity.SetTag("hybridai.signals.guard_score", s.GuardScore);
                activity.SetTag("hybridai.signals.prompt_tokens", s.PromptTokens);
            }

            activity.SetTag("gen_ai.response.model", model);
            activity.SetTag("gen_ai.usage.input_tokens", request.Usage.PromptTokens);
            activity.SetTag("gen_ai.usage.output_tokens", request.Usage.CompletionTokens);
            if (request.Outcome is "error")
            {
                activity.SetStatus(ActivityStatusCode.Error, request.Error);
            }
        }

        await receipts.RecordAsync(request.ToReceipt());

        // After the answer and the receipt: never blocks (a full shadow queue drops the sample).
        shadow.Offer(request);
    }

    private async Task<RepeatedField<ChatMessage>> AugmentAsync(RoutedRequest request, CancellationToken cancellationToken)
    {
        if (request.Decision!.Retrieve is not { } collection || request.Decision.Answer == SlmAnswer.Faq)
        {
            return request.Call.Request.Messages;
        }

        var leaves = request.Decision.Route == RouteKind.Llm ? request.Chain.HasExternal : request.Decision.Cascade;
        return await augmenter.AugmentAsync(request, collection, leaves, cancellationToken);
    }

    /// <summary>
    /// When the policy redacts and an external target may serve: the messages with every finding replaced by its typed
    /// placeholder (the same value, the same placeholder, across messages), and the redaction that restores the answer.
    /// </summary>
    private IRedaction? RedactFor(RoutedRequest request, ref RepeatedField<ChatMessage> messages)
    {
        var signals = request.Signals!;
        if (!request.Decision!.Redact || !request.Chain.HasExternal)
        {
            return null;
        }

        var added = messages.Count - request.Call.Request.Messages.Count;
        var redaction = redactions.Begin();
        var redacted = new RepeatedField<ChatMessage>();
        var placeholders = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            IReadOnlyList<TextFinding> findings;
            List<MessageFinding>? own = null;
            if (i < added)
            {
                // Retrieved context was not scanned with the request: scan it now, it is about to leave too.
                findings = scanner.Detect(message.Content);
            }
            else
            {
                own = [.. signals.Findings.Where(f => f.MessageIndex == i - added)];
                findings = [.. own.Select(f => new TextFinding(f.Type, f.Start, f.End, f.Score))];
            }

            if (findings.Count == 0)
            {
                redacted.Add(message);
                continue;
            }

            placeholders.Clear();
            redacted.Add(new ChatMessage(message) { Content = redaction.Redact(message.Content, findings, placeholders) });
            for (var j = 0; j < findings.Count; j++)
            {
                request.RedactionTypes.Add(findings[j].Type);
                if (own is not null && j < placeholders.Count)
                {
                    own[j].Placeholder = placeholders[j];
                }
            }
        }

        if (request.RedactionTypes.Count == 0)
        {
            return null;
        }

        request.Redacted = true;
        messages = redacted;
        return redaction;
    }
}
