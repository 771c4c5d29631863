namespace HybridAI.LlmProxy.Providers;

/// <summary>Why one upstream call failed; decides retry, breaker, fallback and the gRPC status.</summary>
public enum UpstreamFailureKind
{
    /// <summary>429: retried honouring Retry-After, then the next target.</summary>
    RateLimited,

    /// <summary>5xx and 408: retried, then the next target.</summary>
    ServerError,

    /// <summary>No first token, or no end of the call, within the configured time: retried, then the next target.</summary>
    Timeout,

    /// <summary>Connection refused, reset, or closed mid-response: retried, then the next target.</summary>
    Network,

    /// <summary>Malformed JSON, an unexpected content type, a response over the size limit: the next target.</summary>
    BadResponse,

    /// <summary>401: the proxy's key for this target was refused. The next target; never retried.</summary>
    Unauthorized,

    /// <summary>403: the key may not use this model. The next target; never retried.</summary>
    Forbidden,

    /// <summary>404: the upstream model or deployment does not exist. The next target; never retried.</summary>
    NotFound,

    /// <summary>Another 4xx: the provider refused the request (400, 413, 422). The next target; never retried.</summary>
    Rejected,
}
