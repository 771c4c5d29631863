using HybridAI.LlmProxy.Requests;
using Microsoft.Extensions.AI;
using Proto = HybridAI.Contracts.Common.V1;

namespace HybridAI.LlmProxy.Execution;

/// <summary>Maps Microsoft.Extensions.AI results to the contract.</summary>
internal static class ResponseMapper
{
    public static Proto.ChatMessage Message(ChatResponse response)
    {
        var message = new Proto.ChatMessage { Role = "assistant", Content = response.Text };
        foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            message.ToolCalls.Add(new Proto.ToolCall
            {
                Id = call.CallId,
                Name = call.Name,
                ArgumentsJson = MessageMapper.SerializeArguments(call.Arguments),
                ArgumentsError = MessageMapper.ArgumentsError(call),
            });
        }

        return message;
    }
}
