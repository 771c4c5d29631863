using Grpc.Core;
using Grpc.Core.Interceptors;
using HybridAI.Retrieval.Errors;

namespace HybridAI.Retrieval.Grpc;

/// <summary>The gRPC boundary: translates domain errors into status codes with <c>google.rpc</c> details.</summary>
public sealed class RetrievalErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (RetrievalErrors.Grpc(e) is { } translated)
        {
            throw translated;
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
        catch (Exception e) when (RetrievalErrors.Grpc(e) is { } translated)
        {
            throw translated;
        }
    }
}
