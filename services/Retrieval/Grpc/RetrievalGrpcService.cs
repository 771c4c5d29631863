using HybridAI.Contracts.Retrieval.V1;

namespace HybridAI.Retrieval.Grpc;

/// <summary>
/// The retrieval gRPC API. Methods not overridden here answer UNIMPLEMENTED with the method named.
/// </summary>
public sealed class RetrievalGrpcService : RetrievalService.RetrievalServiceBase
{
}
