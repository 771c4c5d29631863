using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>How a gRPC client's calls behave, which decides its resilience pipeline.</summary>
public enum GrpcCallProfile
{
    /// <summary>
    /// Short control-plane calls (governance, retrieval): the standard HTTP resilience pipeline, tuned for a sibling
    /// service (50 ms retry delay, breaker open after 5 calls at half failing, probe after 1 s).
    /// </summary>
    ControlPlane,

    /// <summary>
    /// Model calls and streams (llm-proxy, slm-inference): no HTTP-level attempt or total timeout; callers set
    /// per-call deadlines from their options, and only UNAVAILABLE is retried, which gRPC does only before a
    /// response has started, so no stream is ever replayed.
    /// </summary>
    ModelCall,
}

/// <summary>Registration of typed gRPC clients for other HybridAI services.</summary>
public static class GrpcClientExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TClient"/> against the <c>grpc</c> endpoint of <paramref name="service"/>,
    /// resolved by service discovery (<c>http://_grpc.&lt;service&gt;</c>).
    /// </summary>
    public static IHttpClientBuilder AddHybridAIGrpcClient<TClient>(
        this IServiceCollection services, string service, GrpcCallProfile profile)
        where TClient : ClientBase
    {
        var builder = services.AddGrpcClient<TClient>(o => o.Address = new Uri($"http://_grpc.{service}"));
        if (profile == GrpcCallProfile.ControlPlane)
        {
            // The standard pipeline's defaults suit calls to the internet, not to a sibling service on the cluster
            // network: a 2 s first retry delay and a breaker that needs 100 calls in 30 s to open kept requests
            // waiting for their whole deadline (~10 s seen) after governance died. A refused connection is known at
            // once, so retry briefly, open the breaker after a handful of failures and probe again after a second.
#pragma warning disable EXTEXP0001
            builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
            builder.AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = 2;
                o.Retry.Delay = TimeSpan.FromMilliseconds(50);
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
                o.CircuitBreaker.MinimumThroughput = 5;
                o.CircuitBreaker.FailureRatio = 0.5;
                o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
            });
        }
        else if (profile == GrpcCallProfile.ModelCall)
        {
            // Experimental API, used on purpose: it is the supported way to opt one client out of the
            // defaults that ConfigureHttpClientDefaults added.
#pragma warning disable EXTEXP0001
            builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
            builder.ConfigureChannel(channel => channel.ServiceConfig = new ServiceConfig
            {
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = 3,
                            InitialBackoff = TimeSpan.FromMilliseconds(100),
                            MaxBackoff = TimeSpan.FromSeconds(1),
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            });
        }

        return builder;
    }
}
