namespace HybridAI.SlmInference.Core.Runtime;

/// <summary>The device sessions run on, decided once at start, and why.</summary>
/// <param name="ExecutionProvider"><see cref="ExecutionProviders.Cuda"/> or <see cref="ExecutionProviders.Cpu"/>.</param>
/// <param name="FallbackReason">Set when <see cref="InferenceDevice.Auto"/> wanted CUDA but fell back to CPU.</param>
public sealed record DeviceResolution(string ExecutionProvider, string? FallbackReason)
{
    public bool IsCuda => ExecutionProvider == ExecutionProviders.Cuda;
}
