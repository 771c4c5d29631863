using Grpc.Core;
using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Execution;
using HybridAI.LlmProxy.Requests;
using HybridAI.ServiceDefaults.Grpc;
using HybridAI.Tokens;

namespace HybridAI.LlmProxy.Grpc;

/// <summary>The <c>hybridai.llm.v1</c> gRPC API: completions (unary and streamed), the catalogue, token counts.</summary>
internal sealed class LlmGrpcService(
    CompletionExecutor completions, StreamExecutor streams, CatalogueView catalogue, CompletionPlanner planner, TokenCounter tokens)
    : LlmService.LlmServiceBase
{
    public override Task<CompletionResponse> Complete(CompletionRequest request, ServerCallContext context) =>
        completions.CompleteAsync(request, context.CancellationToken);

    public override Task Stream(CompletionRequest request, IServerStreamWriter<CompletionChunk> responseStream, ServerCallContext context) =>
        streams.StreamAsync(request, responseStream, context.CancellationToken);

    public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context) =>
        Task.FromResult(catalogue.List());

    public override Task<CountTokensResponse> CountTokens(CountTokensRequest request, ServerCallContext context)
    {
        var entry = planner.Resolve(request.Target, "target");
        if (request.Messages.Count == 0)
        {
            RpcErrors.ThrowInvalidArgument("Invalid CountTokensRequest: messages: at least one message is required.", ("messages", "at least one message is required"));
        }

        return Task.FromResult(new CountTokensResponse
        {
            PromptTokens = tokens.CountPrompt(entry.Tokenizer, request.Messages, []),
            Tokenizer = entry.Tokenizer,
            ContextWindow = entry.ContextWindow,
            MaxOutputTokens = entry.MaxOutputTokens,
        });
    }
}
