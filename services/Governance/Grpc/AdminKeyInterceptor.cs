using Grpc.Core;
using Grpc.Core.Interceptors;
using HybridAI.Governance.Admin;

namespace HybridAI.Governance.Grpc;

/// <summary>Requires the admin key (<c>authorization: Bearer …</c>) on every admin gRPC call.</summary>
public sealed class AdminKeyInterceptor(AdminKey adminKey) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Require(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Require(context);
        return continuation(request, responseStream, context);
    }

    private void Require(ServerCallContext context)
    {
        if (!adminKey.Matches(context.RequestHeaders.GetValue("authorization")))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, AdminKey.Refusal));
        }
    }
}
