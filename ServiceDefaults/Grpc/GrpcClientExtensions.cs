using Grpc.Core;
using Grpc.Net.Client.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>How a gRPC client's calls behave, which decides its resilience pipeline.</summary>
public enum GrpcCallProfile
{
    /// <summary>Short control-plane calls (governance, retrieval): the standard HTTP resilience pipeline.</summary>
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
        if (profile == GrpcCallProfile.ModelCall)
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
