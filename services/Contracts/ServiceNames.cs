namespace HybridAI.Contracts;

/// <summary>
/// Resource names: identical in the Aspire app model, Kubernetes Services and service discovery.
/// </summary>
public static class ServiceNames
{
    public const string Edge = "edge";
    public const string Router = "router";
    public const string SlmInference = "slm-inference";
    public const string LlmProxy = "llm-proxy";
    public const string Retrieval = "retrieval";
    public const string Governance = "governance";
    public const string Redis = "redis";
    public const string Qdrant = "qdrant";

    /// <summary>The named endpoint every service serves gRPC on (HTTP/2 only, h2c in local mode).</summary>
    public const string GrpcEndpoint = "grpc";

    /// <summary>The named endpoint for HTTP/1.1 + HTTP/2 traffic (health, REST APIs).</summary>
    public const string HttpEndpoint = "http";

    /// <summary>Service-discovery address of a service's gRPC endpoint.</summary>
    public static Uri GrpcAddress(string service) => new($"http://_{GrpcEndpoint}.{service}");
}
