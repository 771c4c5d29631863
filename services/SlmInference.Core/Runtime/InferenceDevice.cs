namespace HybridAI.SlmInference.Core.Runtime;

/// <summary>Where ONNX Runtime runs the models.</summary>
public enum InferenceDevice
{
    /// <summary>CUDA when it is available, else CPU (the fallback is reported once).</summary>
    Auto,

    /// <summary>CUDA or fail at start.</summary>
    Cuda,

    /// <summary>CPU only.</summary>
    Cpu,
}

/// <summary>ONNX Runtime's names of the execution providers HybridAI uses.</summary>
public static class ExecutionProviders
{
    public const string Cuda = "CUDAExecutionProvider";
    public const string Cpu = "CPUExecutionProvider";
}
