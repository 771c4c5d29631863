using System.Collections.Concurrent;

namespace HybridAI.Router.Execution;

/// <summary>
/// Recent latency per target (exponentially weighted, α = 0.2), which a latency SLO uses to put the targets that have
/// been meeting it first in the fallback chain. Targets never seen count as meeting it.
/// </summary>
public sealed class LatencyTracker
{
    private const double Alpha = 0.2;
    private readonly ConcurrentDictionary<string, double> _ms = new(StringComparer.Ordinal);

    public void Observe(string target, TimeSpan latency) =>
        _ms.AddOrUpdate(target, latency.TotalMilliseconds, (_, old) => old + (Alpha * (latency.TotalMilliseconds - old)));

    public double? Milliseconds(string target) => _ms.TryGetValue(target, out var v) ? v : null;
}
