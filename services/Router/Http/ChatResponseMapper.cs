using HybridAI.Contracts.Common.V1;
using HybridAI.Router.OpenAi;
using HybridAI.Router.Pipeline;

namespace HybridAI.Router.Http;

/// <summary>A pipeline result as OpenAI's <c>chat.completion</c>, with the <c>hybridai</c> decision object.</summary>
public static class ChatResponseMapper
{
    public static ChatCompletionResponseDto ToDto(ChatResult result, string requestId) => new()
    {
        Id = result.Id,
        Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        Model = result.Model,
        Choices =
        [
            new ChoiceDto
            {
                Index = 0,
                FinishReason = result.FinishReason,
                Message = new ChatMessageDto
                {
                    Role = "assistant",
                    Content = result.Message.ToolCalls.Count > 0 && result.Message.Content.Length == 0 ? null : result.Message.Content,
                    ToolCalls = result.Message.ToolCalls.Count == 0 ? null : [.. result.Message.ToolCalls.Select(c => new ToolCallDto
                    {
                        Id = c.Id,
                        Function = new FunctionCallDto { Name = c.Name, Arguments = c.ArgumentsJson },
                    })],
                },
            },
        ],
        Usage = Usage(result.Usage),
        HybridAi = DecisionMapper.ToDto(result.Decision, requestId, result.Citations),
    };

    public static UsageDto Usage(TokenUsage usage) => new()
    {
        PromptTokens = usage.PromptTokens,
        CompletionTokens = usage.CompletionTokens,
        TotalTokens = usage.PromptTokens + usage.CompletionTokens,
        PromptTokensDetails = new PromptTokensDetailsDto { CachedTokens = usage.CachedPromptTokens },
    };
}
