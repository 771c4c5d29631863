using HybridAI.Contracts.Router.V1;

namespace HybridAI.Router.Grpc;

/// <summary>
/// The router gRPC API. Methods not overridden here answer UNIMPLEMENTED with the method named.
/// </summary>
public sealed class RouterGrpcService : RouterService.RouterServiceBase
{
}
