using HybridAI.Router.Errors;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Pipeline;

/// <summary>
/// Bounds routed work: <c>Router:MaxConcurrentRequests</c> run at once, <c>Router:MaxQueuedRequests</c> wait; anything
/// beyond is refused at once (429 / RESOURCE_EXHAUSTED with a one-second retry hint) instead of queueing without bound.
/// A caller that leaves while waiting gives its place up.
/// </summary>
public sealed class RequestGate(IOptions<RouterOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentRequests, options.Value.MaxConcurrentRequests);
    private int _waiting;

    public async ValueTask<Slot> EnterAsync(CancellationToken cancellationToken)
    {
        if (!_slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref _waiting) > options.Value.MaxQueuedRequests)
            {
                Interlocked.Decrement(ref _waiting);
                throw new RoutingException(FailureKind.Exhausted, "router_busy",
                    "The router is at capacity (Router:MaxConcurrentRequests running, Router:MaxQueuedRequests waiting); retry shortly.")
                {
                    RetryAfter = TimeSpan.FromSeconds(1),
                };
            }

            try
            {
                await _slots.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>A held slot; disposing it lets the next request in.</summary>
    public readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
