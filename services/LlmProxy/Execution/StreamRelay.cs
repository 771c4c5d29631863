using System.Text;
using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy.Requests;
using Microsoft.Extensions.AI;
using Proto = HybridAI.Contracts.Common.V1;

namespace HybridAI.LlmProxy.Execution;

/// <summary>
/// Turns upstream updates into <see cref="CompletionDelta"/>s and keeps what accounting needs: the text and tool
/// calls sent (to count tokens when the provider reports none, or when the stream breaks), the reported usage, the
/// finish reason and the model.
/// </summary>
internal sealed class StreamRelay
{
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _toolCalls = new();
    private readonly Dictionary<string, int> _toolIndex = new(StringComparer.Ordinal);

    public string Text => _text.ToString();

    public string ToolCallText => _toolCalls.ToString();

    public UsageDetails? Usage { get; private set; }

    public string FinishReason { get; private set; } = "";

    public string ResponseModel { get; private set; } = "";

    public string? ResponseId { get; private set; }

    /// <summary>Deltas returned so far (the first one names the serving target).</summary>
    public int DeltasSent { get; private set; }

    /// <summary>The delta to send for an update, or null when it carries nothing for the caller.</summary>
    public CompletionDelta? Accept(ChatResponseUpdate update)
    {
        if (update.ModelId is { Length: > 0 } model)
        {
            ResponseModel = model;
        }

        if (update.ResponseId is { Length: > 0 } id)
        {
            ResponseId = id;
        }

        if (update.FinishReason is { } finish)
        {
            FinishReason = MessageMapper.FinishReason(finish);
        }

        CompletionDelta? delta = null;
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } text:
                    delta ??= new CompletionDelta();
                    delta.Content += text.Text;
                    _text.Append(text.Text);
                    break;
                case FunctionCallContent call:
                    delta ??= new CompletionDelta();
                    var arguments = MessageMapper.SerializeArguments(call.Arguments);
                    if (!_toolIndex.TryGetValue(call.CallId, out var index))
                    {
                        index = _toolIndex.Count;
                        _toolIndex[call.CallId] = index;
                    }

                    delta.ToolCalls.Add(new Proto.ToolCallDelta
                    {
                        Index = index,
                        Id = call.CallId,
                        Name = call.Name,
                        ArgumentsFragment = arguments,
                        ArgumentsError = MessageMapper.ArgumentsError(call),
                    });
                    _toolCalls.Append(call.Name).Append(arguments);
                    break;
                case UsageContent usage:
                    Usage ??= new UsageDetails();
                    Usage.Add(usage.Details);
                    break;
            }
        }

        if (delta is not null)
        {
            DeltasSent++;
        }

        return delta;
    }
}
