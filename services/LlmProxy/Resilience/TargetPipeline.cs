using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Providers;
using HybridAI.LlmProxy.Telemetry;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace HybridAI.LlmProxy.Resilience;

/// <summary>
/// One target's Polly pipelines: retries with exponential backoff and jitter honouring Retry-After, around a circuit
/// breaker. They wrap only the part of a call before the first token reaches the caller; a stream that fails later is
/// reported to the breaker with <see cref="RecordFailureAsync"/> and never retried.
/// </summary>
public sealed partial class TargetPipeline
{
    private static readonly ResiliencePropertyKey<AttemptRecord> AttemptKey = new("hybridai.attempt");

    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _breaker;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly ILogger _logger;

    public TargetPipeline(CatalogueEntry entry, ResilienceOptions options, LlmProxyTelemetry telemetry, ILogger logger)
    {
        Entry = entry;
        _logger = logger;
        var cb = options.CircuitBreaker;
        _breaker = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = cb.FailureRatio,
            MinimumThroughput = cb.MinimumThroughput,
            SamplingDuration = cb.SamplingDuration,
            BreakDuration = cb.BreakDuration,
            StateProvider = _state,
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is UpstreamException { CountsForBreaker: true }),
            OnOpened = args =>
            {
                telemetry.BreakerTransition(entry.Id, "open");
                LogOpened(_logger, entry.Id, args.BreakDuration, args.Outcome.Exception?.Message ?? "");
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = _ =>
            {
                telemetry.BreakerTransition(entry.Id, "half_open");
                LogHalfOpened(_logger, entry.Id);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                telemetry.BreakerTransition(entry.Id, "closed");
                LogClosed(_logger, entry.Id);
                return ValueTask.CompletedTask;
            },
        }).Build();

        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            var maxRetryAfter = options.MaxRetryAfter;
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                // A Retry-After beyond the limit is better spent on the next target.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is UpstreamException { Retryable: true } e
                    && !(e.RetryAfter > maxRetryAfter)),
                DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Exception is UpstreamException { RetryAfter: { } after } ? after : (TimeSpan?)null),
                OnRetry = args =>
                {
                    var failure = (UpstreamException)args.Outcome.Exception!;
                    if (args.Context.Properties.TryGetValue(AttemptKey, out var attempt))
                    {
                        attempt.Retries++;
                    }

                    telemetry.Retry(entry, failure, args.AttemptNumber + 1, args.RetryDelay);
                    LogRetry(_logger, entry.Id, args.AttemptNumber + 1, args.RetryDelay, failure.Message);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _retry = builder.Build();
    }

    public CatalogueEntry Entry { get; }

    /// <summary>closed, half_open or open.</summary>
    public string CircuitState => _state.CircuitState switch
    {
        Polly.CircuitBreaker.CircuitState.Closed => "closed",
        Polly.CircuitBreaker.CircuitState.HalfOpen => "half_open",
        _ => "open",
    };

    /// <summary>0 closed, 1 half-open, 2 open (the gauge's value).</summary>
    public int CircuitStateValue => _state.CircuitState switch
    {
        Polly.CircuitBreaker.CircuitState.Closed => 0,
        Polly.CircuitBreaker.CircuitState.HalfOpen => 1,
        _ => 2,
    };

    /// <summary>
    /// Runs <paramref name="attempt"/> under retry and breaker. Throws the last <see cref="UpstreamException"/>
    /// when retries are exhausted, or <see cref="BrokenCircuitException"/> when the breaker is open.
    /// </summary>
    public async ValueTask<TResult> ExecuteAsync<TResult, TState>(
        Func<TState, CancellationToken, ValueTask<TResult>> attempt, TState state, AttemptRecord record, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AttemptKey, record);
        try
        {
            return await _retry.ExecuteAsync(
                static (ctx, s) => s.Breaker.ExecuteAsync(static (c, s2) => s2.Attempt(s2.State, c.CancellationToken), ctx, s),
                context,
                new Call<TResult, TState>(_breaker, attempt, state));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Tells the breaker about a stream that failed after its first token (outside the retried part).</summary>
    public async ValueTask RecordFailureAsync(UpstreamException failure)
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        try
        {
            await _breaker.ExecuteOutcomeAsync(
                static (_, f) => ValueTask.FromResult(Outcome.FromException<bool>(f)), context, failure);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private readonly record struct Call<TResult, TState>(
        ResiliencePipeline Breaker, Func<TState, CancellationToken, ValueTask<TResult>> Attempt, TState State);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying target {Target} (retry {Retry}) in {Delay}: {Error}")]
    private static partial void LogRetry(ILogger logger, string target, int retry, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit breaker for target {Target} opened for {BreakDuration}: {Error}")]
    private static partial void LogOpened(ILogger logger, string target, TimeSpan breakDuration, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit breaker for target {Target} is half-open: the next call probes it")]
    private static partial void LogHalfOpened(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit breaker for target {Target} closed")]
    private static partial void LogClosed(ILogger logger, string target);
}
