using Grpc.Core;
using Grpc.Core.Interceptors;

namespace HybridAI.ServiceDefaults.Grpc;

/// <summary>
/// Generated service bases answer an unimplemented method with UNIMPLEMENTED and no message. This names the
/// method and the service, so a caller knows the method exists in the contract but not in this build.
/// </summary>
public sealed class UnimplementedMethodInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e) when (IsBare(e))
        {
            throw Named(context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException e) when (IsBare(e))
        {
            throw Named(context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (RpcException e) when (IsBare(e))
        {
            throw Named(context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (RpcException e) when (IsBare(e))
        {
            throw Named(context);
        }
    }

    private static bool IsBare(RpcException e) =>
        e.StatusCode == StatusCode.Unimplemented && string.IsNullOrEmpty(e.Status.Detail);

    private static RpcException Named(ServerCallContext context) =>
        new(new Status(StatusCode.Unimplemented,
            $"{context.Method.TrimStart('/')} is part of the contract but not implemented by this version of the service."));
}
