using System.Collections.Concurrent;
using HybridAI.Quality.Calibration;

namespace HybridAI.Governance.Calibration;

/// <summary>
/// Samples held in memory, per tenant, bounded (oldest dropped first), read alongside the quality store's
/// (<see cref="CalibrationSampleSources"/>). Nothing adds to it in production; tests and simulations feed it directly.
/// </summary>
public sealed class InMemoryCalibrationSampleSource : ICalibrationSampleSource
{
    public const int MaxPerTenant = 100_000;

    private readonly ConcurrentDictionary<string, Queue<(DateTimeOffset At, CalibrationSample Sample)>> _samples = new(StringComparer.Ordinal);

    public void Add(string tenantId, DateTimeOffset at, CalibrationSample sample)
    {
        var queue = _samples.GetOrAdd(tenantId, _ => new());
        lock (queue)
        {
            queue.Enqueue((at, sample));
            if (queue.Count > MaxPerTenant)
            {
                queue.Dequeue();
            }
        }
    }

    public Task<IReadOnlyList<CalibrationSample>> GetSamplesAsync(string tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (!_samples.TryGetValue(tenantId, out var queue))
        {
            return Task.FromResult<IReadOnlyList<CalibrationSample>>([]);
        }

        lock (queue)
        {
            return Task.FromResult<IReadOnlyList<CalibrationSample>>(queue.Where(s => s.At >= since && s.At < until).Select(s => s.Sample).ToList());
        }
    }
}
