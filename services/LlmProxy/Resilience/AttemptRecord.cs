using System.Diagnostics;
using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Providers;

namespace HybridAI.LlmProxy.Resilience;

/// <summary>One target's try within a request (all its retries), becoming a <see cref="TargetAttempt"/>.</summary>
public sealed class AttemptRecord(CatalogueEntry entry)
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public CatalogueEntry Entry { get; } = entry;

    public int Retries { get; set; }

    /// <summary>The last classified failure of this target, kept so a breaker opening mid-retry reports the real cause.</summary>
    public UpstreamException? LastFailure { get; set; }

    public TargetAttempt Succeeded() => Build("ok", "", null);

    public TargetAttempt Failed(UpstreamException failure) => Build(failure.Outcome, failure.Message, failure);

    public TargetAttempt CircuitOpen(TimeSpan? retryAfter) => LastFailure is { } last
        ? Failed(last)
        : Build("circuit_open", "the circuit breaker for this target is open after recent failures", null, retryAfter);

    private TargetAttempt Build(string outcome, string error, UpstreamException? failure, TimeSpan? retryAfter = null) => new()
    {
        Target = Entry.Id,
        Outcome = outcome,
        Error = error,
        HttpStatus = failure?.HttpStatus ?? 0,
        LatencyMs = (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds,
        Retries = Retries,
        RetryAfterMs = (long)(failure?.RetryAfter ?? retryAfter ?? TimeSpan.Zero).TotalMilliseconds,
    };
}
