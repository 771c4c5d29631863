namespace HybridAI.SlmInference.Core.Runtime;

/// <summary>How ONNX Runtime sessions are created: device and thread tuning.</summary>
public sealed record SessionSettings
{
    public InferenceDevice Device { get; init; } = InferenceDevice.Auto;

    /// <summary>CUDA device ordinal.</summary>
    public int GpuDeviceId { get; init; }

    /// <summary>CUDA arena limit in bytes; 0 lets ONNX Runtime use what it needs.</summary>
    public long GpuMemoryLimitBytes { get; init; }

    /// <summary>Threads one CPU inference uses; 0 means one per core the process may use.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Let idle intra-op threads spin briefly before sleeping. Spinning lowers latency between back-to-back batches but
    /// burns the cores other work (gRPC, tokenisation) needs; off by default on small machines.
    /// </summary>
    public bool AllowSpinning { get; init; }
}
