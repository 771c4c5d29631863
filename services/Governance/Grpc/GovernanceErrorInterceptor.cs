using Grpc.Core;
using Grpc.Core.Interceptors;
using HybridAI.Governance.Errors;
using HybridAI.ServiceDefaults.Grpc;

namespace HybridAI.Governance.Grpc;

/// <summary>The gRPC boundary: translates domain errors into status codes with <c>google.rpc</c> details.</summary>
public sealed class GovernanceErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Translate(e) is { } translated)
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
        catch (Exception e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    public static RpcException? Translate(Exception e) => e switch
    {
        ValidationFailedException v => RpcErrors.InvalidArgument(v.Message, v.Problems.Select(p => (p.Field, p.Description)).ToArray()),
        NotFoundException n => RpcErrors.NotFound(n.ResourceType, n.ResourceName, n.Message),
        AlreadyExistsException a => new RpcException(new Status(StatusCode.AlreadyExists, a.Message)),
        PreconditionFailedException p => RpcErrors.FailedPrecondition(p.Message, p.Subject, "POLICY"),
        BudgetExhaustedException b => RpcErrors.ResourceExhausted(b.Message, b.RetryAfter),
        InvalidApiKeyException k => new RpcException(new Status(StatusCode.Unauthenticated, k.Message)),
        StackExchange.Redis.RedisException or TimeoutException =>
            RpcErrors.Unavailable("Budget and rate-limit state (Redis) is unreachable; retry shortly.", TimeSpan.FromSeconds(1)),
        _ => null,
    };
}
