using HybridAI.Contracts.Llm.V1;

namespace HybridAI.LlmProxy.Grpc;

/// <summary>
/// The llm gRPC API. Methods not overridden here answer UNIMPLEMENTED with the method named.
/// </summary>
public sealed class LlmGrpcService : LlmService.LlmServiceBase
{
}
