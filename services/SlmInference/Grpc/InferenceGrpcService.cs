using HybridAI.Contracts.Inference.V1;

namespace HybridAI.SlmInference.Grpc;

/// <summary>
/// The inference gRPC API. Methods not overridden here answer UNIMPLEMENTED with the method named.
/// </summary>
public sealed class InferenceGrpcService : InferenceService.InferenceServiceBase
{
}
