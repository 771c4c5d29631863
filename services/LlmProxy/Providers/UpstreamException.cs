namespace HybridAI.LlmProxy.Providers;

/// <summary>
/// A failed upstream call, classified. The message is safe to show: built by the proxy from the status and the
/// provider's own error message, with secrets removed.
/// </summary>
public sealed class UpstreamException : Exception
{
    public UpstreamException(UpstreamFailureKind kind, string message, int? httpStatus = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        HttpStatus = httpStatus;
        RetryAfter = retryAfter;
    }

    public UpstreamException()
        : this(UpstreamFailureKind.Network, "upstream call failed")
    {
    }

    public UpstreamException(string message)
        : this(UpstreamFailureKind.Network, message)
    {
    }

    public UpstreamException(string message, Exception innerException)
        : this(UpstreamFailureKind.Network, message, inner: innerException)
    {
    }

    public UpstreamFailureKind Kind { get; }

    public int? HttpStatus { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>Worth another try on the same target.</summary>
    public bool Retryable => Kind is UpstreamFailureKind.RateLimited or UpstreamFailureKind.ServerError
        or UpstreamFailureKind.Timeout or UpstreamFailureKind.Network;

    /// <summary>Says something about the target's health, so its circuit breaker counts it.</summary>
    public bool CountsForBreaker => Retryable || Kind == UpstreamFailureKind.BadResponse;

    /// <summary>The <c>TargetAttempt.outcome</c> word.</summary>
    public string Outcome => Kind switch
    {
        UpstreamFailureKind.RateLimited => "rate_limited",
        UpstreamFailureKind.Timeout => "timeout",
        _ => "error",
    };

    /// <summary>The OpenTelemetry <c>error.type</c>: the HTTP status when there is one, else the kind.</summary>
    public string ErrorType => HttpStatus is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : Kind switch
    {
        UpstreamFailureKind.Timeout => "timeout",
        UpstreamFailureKind.Network => "connection_error",
        UpstreamFailureKind.BadResponse => "bad_response",
        _ => "_OTHER",
    };
}
