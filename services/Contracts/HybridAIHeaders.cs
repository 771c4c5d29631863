namespace HybridAI.Contracts;

/// <summary>
/// Header and gRPC metadata names. The edge strips every <c>x-hybridai-</c> header a client sends
/// and stamps its own, so services behind it may trust them.
/// </summary>
public static class HybridAIHeaders
{
    public const string InternalPrefix = "x-hybridai-";
    public const string Tenant = "x-hybridai-tenant";
    public const string ApiKeyId = "x-hybridai-key-id";
    public const string RequestId = "x-request-id";

    // Decision headers on every routed response (and gRPC trailers).
    public const string Route = "x-hybridai-route";
    public const string Model = "x-hybridai-model";
    public const string Reason = "x-hybridai-reason";
    public const string CostUsd = "x-hybridai-cost-usd";
    public const string DataClass = "x-hybridai-data-class";
}
