using System.Diagnostics;

namespace HybridAI.Benchmarks.Harness;

/// <summary>Latency samples with exact percentiles (samples are kept, sorted once).</summary>
public sealed class LatencySamples
{
    private readonly List<double> _milliseconds = [];
    private bool _sorted;

    public int Count => _milliseconds.Count;

    public void Add(double milliseconds)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(milliseconds);
            _sorted = false;
        }
    }

    public double Percentile(double p)
    {
        lock (_milliseconds)
        {
            if (_milliseconds.Count == 0)
            {
                return double.NaN;
            }

            if (!_sorted)
            {
                _milliseconds.Sort();
                _sorted = true;
            }

            var rank = (int)Math.Ceiling(p / 100 * _milliseconds.Count) - 1;
            return _milliseconds[Math.Clamp(rank, 0, _milliseconds.Count - 1)];
        }
    }

    public double Mean
    {
        get
        {
            lock (_milliseconds)
            {
                return _milliseconds.Count == 0 ? double.NaN : _milliseconds.Average();
            }
        }
    }
}

/// <summary>Result of a closed-loop load run: throughput and latency.</summary>
public sealed record LoadResult(int Concurrency, int Operations, double Seconds, LatencySamples Latency)
{
    public double OperationsPerSecond => Operations / Seconds;
}

/// <summary>Closed-loop load: <c>concurrency</c> callers each issue operations back to back.</summary>
public static class Load
{
    /// <summary>Runs <paramref name="operation"/> (given the caller index and its iteration) until <paramref name="totalOperations"/> are done.</summary>
    public static async Task<LoadResult> RunAsync(int concurrency, int totalOperations,
        Func<int, int, CancellationToken, ValueTask> operation, CancellationToken cancellationToken)
    {
        var latency = new LatencySamples();
        var next = -1;
        var total = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, concurrency).Select(caller => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < totalOperations)
            {
                var start = Stopwatch.GetTimestamp();
                await operation(caller, i, cancellationToken);
                latency.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }, cancellationToken));
        await Task.WhenAll(callers);
        return new LoadResult(concurrency, totalOperations, total.Elapsed.TotalSeconds, latency);
    }
}
