using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Grpc;

/// <summary>
/// The governance gRPC API. Methods not overridden here answer UNIMPLEMENTED with the method named.
/// </summary>
public sealed class GovernanceGrpcService : GovernanceService.GovernanceServiceBase
{
}
