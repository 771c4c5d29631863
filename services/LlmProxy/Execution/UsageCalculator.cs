using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Requests;
using HybridAI.LlmProxy.Telemetry;
using Microsoft.Extensions.AI;
using Proto = HybridAI.Contracts.Common.V1;

namespace HybridAI.LlmProxy.Execution;

/// <summary>
/// Usage from the provider where it reported it; otherwise counted with the target's tokenizer and marked estimated.
/// </summary>
internal static class UsageCalculator
{
    public static ChatOutcome Outcome(
        CatalogueEntry entry, CompletionPlan plan, UsageDetails? usage, string completionText, string toolCallText,
        string responseModel, string? responseId, string finishReason)
    {
        var estimated = false;
        int prompt;
        if (usage?.InputTokenCount is { } reportedPrompt)
        {
            prompt = (int)reportedPrompt;
        }
        else
        {
            prompt = plan.PromptTokens(entry);
            estimated = true;
        }

        int completion;
        if (usage?.OutputTokenCount is { } reportedCompletion)
        {
            completion = (int)reportedCompletion;
        }
        else
        {
            completion = plan.CountCompletion(entry, completionText) + plan.CountCompletion(entry, toolCallText);
            estimated = true;
        }

        var cached = (int)Math.Min(usage?.CachedInputTokenCount ?? 0, prompt);
        return new ChatOutcome(responseModel, responseId, finishReason, prompt, cached, completion, estimated);
    }

    public static Proto.TokenUsage ToProto(ChatOutcome o) => new()
    {
        PromptTokens = o.PromptTokens,
        CachedPromptTokens = o.CachedPromptTokens,
        CompletionTokens = o.CompletionTokens,
        Estimated = o.Estimated,
    };

    public static long Cost(CatalogueEntry entry, ChatOutcome o) => entry.Prices.Cost(o.PromptTokens, o.CachedPromptTokens, o.CompletionTokens);
}
