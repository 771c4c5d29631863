using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using HybridAI.Router.Errors;
using HybridAI.ServiceDefaults.Grpc;

namespace HybridAI.Router.Grpc;

/// <summary>The pipeline's failures as gRPC statuses with google.rpc details (field violations, retry hints, error info).</summary>
public static class GrpcErrors
{
    public static RpcException ToRpc(RoutingException e) => e.Kind switch
    {
        FailureKind.InvalidArgument => RpcErrors.InvalidArgument(e.Message,
            e.Problems.Count > 0 ? [.. e.Problems] : [(e.Field ?? "", e.Message)]),
        FailureKind.NotFound => RpcErrors.NotFound(e.Code switch { "head_not_found" => "head", "response_not_found" => "response", _ => "model" }, e.Field ?? "", e.Message),
        FailureKind.Exhausted => RpcErrors.ResourceExhausted(e.Message, e.RetryAfter ?? TimeSpan.FromSeconds(1)),
        FailureKind.Unavailable => RpcErrors.Unavailable(e.Message, e.RetryAfter),
        _ => Build(e),
    };

    private static RpcException Build(RoutingException e)
    {
        var code = e.Kind switch
        {
            FailureKind.Unauthenticated => Code.Unauthenticated,
            FailureKind.Blocked => Code.PermissionDenied,
            FailureKind.TooLarge => Code.ResourceExhausted,
            FailureKind.Timeout => Code.DeadlineExceeded,
            FailureKind.Cancelled => Code.Cancelled,
            _ => Code.Internal,
        };
        var status = new Google.Rpc.Status { Code = (int)code, Message = e.Message };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = e.Code, Domain = "router.hybridai" }));
        return status.ToRpcException();
    }
}
