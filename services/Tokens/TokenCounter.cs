using System.Collections.Concurrent;
using System.Text;
using HybridAI.Contracts.Common.V1;
using Microsoft.ML.Tokenizers;

namespace HybridAI.Tokens;

/// <summary>
/// Counts tokens locally with the tiktoken encodings (data from the Microsoft.ML.Tokenizers data packages, nothing is
/// downloaded): llm-proxy's context-window checks, <c>CountTokens</c> and usage when a provider reports none; the
/// router's prompt-token signal and budget reservations. Thread-safe; one instance serves a process. Message framing follows OpenAI's published accounting (3 tokens per message, 1 per name, 3 to prime
/// the reply); other providers' counts are close estimates.
/// </summary>
public sealed class TokenCounter
{
    public const string O200k = "o200k_base";
    public const string Cl100k = "cl100k_base";

    private const int TokensPerMessage = 3;
    private const int TokensPerName = 1;
    private const int ReplyPriming = 3;
    private const int TokensPerToolCall = 3;
    private const int TokensPerToolDefinition = 8;

    private readonly ConcurrentDictionary<string, Lazy<Tokenizer>> _tokenizers = new(StringComparer.Ordinal);

    public Tokenizer Get(string encoding) =>
        _tokenizers.GetOrAdd(encoding, static e => new Lazy<Tokenizer>(() => TiktokenTokenizer.CreateForEncoding(e))).Value;

    public int Count(string encoding, string text) => text.Length == 0 ? 0 : Get(encoding).CountTokens(text);

    /// <summary>Prompt tokens of a chat request: messages with their framing, plus tool definitions.</summary>
    public int CountPrompt(string encoding, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools)
    {
        var tokenizer = Get(encoding);
        var total = ReplyPriming;
        foreach (var m in messages)
        {
            total += TokensPerMessage + Count(tokenizer, m.Role) + Count(tokenizer, m.Content);
            if (m.Name.Length > 0)
            {
                total += TokensPerName + Count(tokenizer, m.Name);
            }

            foreach (var call in m.ToolCalls)
            {
                total += TokensPerToolCall + Count(tokenizer, call.Name) + Count(tokenizer, call.ArgumentsJson);
            }
        }

        foreach (var tool in tools)
        {
            total += TokensPerToolDefinition + Count(tokenizer, tool.Name) + Count(tokenizer, tool.Description)
                + Count(tokenizer, tool.ParametersJsonSchema);
        }

        return total;
    }

    /// <summary>
    /// An upper bound of <see cref="CountPrompt"/> for any byte-level BPE encoding, from UTF-8 lengths alone (a token
    /// covers at least one byte). When it fits a context window the exact count is not needed.
    /// </summary>
    public static long PromptUpperBound(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition> tools)
    {
        long total = ReplyPriming;
        foreach (var m in messages)
        {
            total += TokensPerMessage + TokensPerName + Bytes(m.Role) + Bytes(m.Content) + Bytes(m.Name);
            foreach (var call in m.ToolCalls)
            {
                total += TokensPerToolCall + Bytes(call.Name) + Bytes(call.ArgumentsJson);
            }
        }

        foreach (var tool in tools)
        {
            total += TokensPerToolDefinition + Bytes(tool.Name) + Bytes(tool.Description) + Bytes(tool.ParametersJsonSchema);
        }

        return total;
    }

    private static int Count(Tokenizer tokenizer, string text) => text.Length == 0 ? 0 : tokenizer.CountTokens(text);

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);
}
