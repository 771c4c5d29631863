using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy.Catalogue;
using HybridAI.Tokens;
using Microsoft.Extensions.AI;

namespace HybridAI.LlmProxy.Requests;

/// <summary>
/// A validated request: the targets that can serve it, in order, the ones skipped and why, and the request in
/// Microsoft.Extensions.AI form, built once and shared by every attempt.
/// </summary>
public sealed class CompletionPlan(CompletionRequest request, TokenCounter tokens)
{
    private readonly Dictionary<string, int> _promptTokens = new(StringComparer.Ordinal);

    public CompletionRequest Request { get; } = request;

    public required IReadOnlyList<CatalogueEntry> Targets { get; init; }

    public required IReadOnlyList<TargetAttempt> Skipped { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>
    /// The request's options, shared by every target: each provider client is bound to its upstream model, so no
    /// per-target copy is needed.
    /// </summary>
    public required ChatOptions Options { get; init; }

    /// <summary>Exact prompt tokens with the target's encoding, counted once per encoding.</summary>
    public int PromptTokens(CatalogueEntry entry)
    {
        lock (_promptTokens)
        {
            if (!_promptTokens.TryGetValue(entry.Tokenizer, out var count))
            {
                count = tokens.CountPrompt(entry.Tokenizer, Request.Messages, Request.Tools);
                _promptTokens[entry.Tokenizer] = count;
            }

            return count;
        }
    }

    public int CountCompletion(CatalogueEntry entry, string text) => tokens.Count(entry.Tokenizer, text);
}
