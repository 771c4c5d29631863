using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.SlmInference;

/// <summary>Where ONNX Runtime runs the models.</summary>
public enum InferenceDevice
{
    /// <summary>CUDA when it is available, else CPU (logged once).</summary>
    Auto,

    /// <summary>CUDA or fail at start.</summary>
    Cuda,

    /// <summary>CPU only.</summary>
    Cpu,
}

/// <summary>slm-inference settings (section <c>Inference</c>).</summary>
public sealed class InferenceOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Inference";

    public InferenceDevice Device { get; set; } = InferenceDevice.Auto;

    [Range(0, 64)]
    public int GpuDeviceId { get; set; }

    /// <summary>CUDA arena limit in MiB; 0 lets ONNX Runtime decide.</summary>
    [Range(0, 1024 * 1024)]
    public int GpuMemoryLimitMb { get; set; }

    /// <summary>Largest batch the dynamic batcher forms.</summary>
    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>How long the batcher waits for more work once it has some.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Texts waiting for a batch; beyond it calls fail fast with RESOURCE_EXHAUSTED.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Most texts one Embed or Classify call may carry.</summary>
    [Range(1, 100_000)]
    public int MaxTextsPerRequest { get; set; } = 256;

    /// <summary>Where shipped models are extracted once (empty: a folder under the system temp path).</summary>
    public string CacheDirectory { get; set; } = "";

    /// <summary>ONNX Runtime intra-op threads for CPU sessions; 0 uses one per physical core.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (MaxBatchWait < TimeSpan.Zero || MaxBatchWait > TimeSpan.FromSeconds(1))
        {
            yield return (nameof(MaxBatchWait), $"must be between 00:00:00 and 00:00:01, but is {MaxBatchWait}.");
        }

        if (QueueCapacity < MaxBatchSize)
        {
            yield return (nameof(QueueCapacity), $"must be at least MaxBatchSize ({MaxBatchSize}), but is {QueueCapacity}.");
        }
    }
}
