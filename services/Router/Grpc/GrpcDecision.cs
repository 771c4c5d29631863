using Grpc.Core;
using HybridAI.Contracts;
using HybridAI.Contracts.Common.V1;
using HybridAI.Router.Http;
using HybridAI.Router.Policy;

namespace HybridAI.Router.Grpc;

/// <summary>The decision in gRPC trailers: the same facts as the HTTP headers.</summary>
public static class GrpcDecision
{
    public static void AddTrailers(ServerCallContext context, RoutingDecision decision)
    {
        var trailers = context.ResponseTrailers;
        Set(trailers, HybridAIHeaders.Route, DecisionMapper.RouteName(decision.Route));
        Set(trailers, HybridAIHeaders.Model, DecisionMapper.HeaderValue(decision.Model));
        Set(trailers, HybridAIHeaders.Reason, DecisionMapper.HeaderValue(DecisionMapper.Reason(decision)));
        Set(trailers, HybridAIHeaders.CostUsd, DecisionMapper.CostText(decision.CostMicros));
        Set(trailers, HybridAIHeaders.DataClass, DataClasses.Name(decision.DataClass));
    }

    private static void Set(Metadata metadata, string key, string value)
    {
        if (metadata.Get(key) is { } existing)
        {
            metadata.Remove(existing);
        }

        metadata.Add(key, value);
    }
}
