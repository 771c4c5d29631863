using System.Diagnostics;
using HybridAI.SlmInference.Batching;
using HybridAI.SlmInference.Core.Models;
using HybridAI.SlmInference.Core.Runtime;
using HybridAI.SlmInference.Telemetry;
using Microsoft.Extensions.Options;

namespace HybridAI.SlmInference.Models;

/// <summary>
/// Loads every model when the host starts (before Kestrel accepts calls), so a missing or corrupt file stops the
/// service with the file named, and the first request never pays for loading or warm-up.
/// </summary>
public sealed partial class ModelHost(IOptions<InferenceOptions> options, InferenceTelemetry telemetry, ILogger<ModelHost> logger) : IHostedService, IDisposable
{
    private ModelRegistry? _registry;
    private Dictionary<string, EncoderBatcher> _batchers = [];

    /// <summary>The loaded models; available once the host has started.</summary>
    public ModelRegistry Registry => _registry ?? throw new InvalidOperationException("Models are not loaded yet.");

    /// <summary>The batcher of each encoder, by encoder name.</summary>
    public IReadOnlyDictionary<string, EncoderBatcher> Batchers => _batchers;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = Stopwatch.GetTimestamp();
        var factory = new OnnxSessionFactory(new SessionSettings
        {
            Device = settings.Device,
            GpuDeviceId = settings.GpuDeviceId,
            GpuMemoryLimitBytes = settings.GpuMemoryLimitMb * 1024L * 1024L,
            // By default the cores are shared out among the batch workers: on small machines one thread per worker,
            // which avoids waking an intra-op pool for every operator of a small model.
            IntraOpThreads = settings.IntraOpThreads > 0 ? settings.IntraOpThreads : Math.Max(1, Environment.ProcessorCount / settings.BatchWorkers),
            AllowSpinning = settings.AllowSpinning,
        });
        if (factory.Resolution.FallbackReason is { } reason)
        {
            LogCudaFallback(logger, reason);
        }

        _registry = ModelRegistry.Load(factory, settings.ResolvedCacheDirectory, settings.ModelSpecs(), settings.DefaultEncoder, settings.DefaultGenerator);
        _batchers = _registry.Encoders.Values.ToDictionary(e => e.Name, e => new EncoderBatcher(e, settings, telemetry), StringComparer.Ordinal);
        telemetry.ObserveModels(() => Describe(_registry));
        telemetry.ObserveQueueDepth(() => _batchers.Values.Select(b => (b.Encoder.Name, b.QueuedTexts)));
        LogLoaded(logger, _registry.Encoders.Count + _registry.Heads.Count + _registry.Generators.Count, factory.Resolution.ExecutionProvider,
            string.Join(", ", Describe(_registry).Select(m => $"{m.Model} ({m.Kind})")), Stopwatch.GetElapsedTime(started).TotalSeconds);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var batcher in _batchers.Values)
        {
            await batcher.StopAsync();
        }
    }

    public void Dispose()
    {
        foreach (var batcher in _batchers.Values)
        {
            batcher.Dispose();
        }

        _registry?.Dispose();
    }

    private static IEnumerable<(string Model, string Kind, string Provider)> Describe(ModelRegistry registry) =>
        registry.Encoders.Values.Select(e => (e.Name, "encoder", e.ExecutionProvider))
            .Concat(registry.Heads.Values.Select(h => (h.Name, "head", registry.Encoders[h.EncoderName].ExecutionProvider)))
            .Concat(registry.Generators.Values.Select(g => (g.Name, "generator", g.ExecutionProvider)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inference:Device is 'auto' and CUDA is not available, so models run on the CPU: {Reason}")]
    private static partial void LogCudaFallback(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} models on {Provider} in {Seconds:F1} s: {Models}")]
    private static partial void LogLoaded(ILogger logger, int count, string provider, string models, double seconds);
}
