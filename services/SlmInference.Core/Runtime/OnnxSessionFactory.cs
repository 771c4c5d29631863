using Microsoft.ML.OnnxRuntime;

namespace HybridAI.SlmInference.Core.Runtime;

/// <summary>
/// Creates ONNX Runtime sessions on the configured device. The device is resolved once: <see cref="InferenceDevice.Cuda"/>
/// fails when the CUDA provider cannot be created (no GPU, driver or CUDA libraries), <see cref="InferenceDevice.Auto"/>
/// falls back to CPU and records why in <see cref="Resolution"/>.
/// </summary>
public sealed class OnnxSessionFactory
{
    private readonly SessionSettings _settings;

    public OnnxSessionFactory(SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        Resolution = Resolve(settings);
    }

    public DeviceResolution Resolution { get; }

    public SessionSettings Settings => _settings;

    /// <summary>Opens <paramref name="modelPath"/>; a corrupt or unreadable file fails with the path named.</summary>
    public InferenceSession Create(string modelPath)
    {
        using var options = CreateOptions();
        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{modelPath} is not a loadable ONNX model: {e.Message}", e);
        }
    }

    /// <summary>
    /// Memory info for tensors the session should leave on its device (CUDA) or in CPU memory. The CPU one is ONNX
    /// Runtime's shared default instance, which must not be disposed; a CUDA one belongs to the caller.
    /// </summary>
    public OrtMemoryInfo DeviceMemory() => Resolution.IsCuda
        ? new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, _settings.GpuDeviceId, OrtMemType.Default)
        : OrtMemoryInfo.DefaultInstance;

    private SessionOptions CreateOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // One inference at a time per batch worker; parallelism inside an operator is what helps small models.
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = _settings.IntraOpThreads > 0 ? _settings.IntraOpThreads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", _settings.AllowSpinning ? "1" : "0");
        if (Resolution.IsCuda)
        {
            using var cuda = CudaOptions(_settings);
            options.AppendExecutionProvider_CUDA(cuda);
        }

        return options;
    }

    private static OrtCUDAProviderOptions CudaOptions(SessionSettings settings)
    {
        var cuda = new OrtCUDAProviderOptions();
        var values = new Dictionary<string, string>
        {
            ["device_id"] = settings.GpuDeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["arena_extend_strategy"] = "kSameAsRequested",
            ["cudnn_conv_algo_search"] = "HEURISTIC",
            ["do_copy_in_default_stream"] = "1",
        };
        if (settings.GpuMemoryLimitBytes > 0)
        {
            values["gpu_mem_limit"] = settings.GpuMemoryLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        cuda.UpdateOptions(values);
        return cuda;
    }

    private static DeviceResolution Resolve(SessionSettings settings)
    {
        if (settings.Device == InferenceDevice.Cpu)
        {
            return new DeviceResolution(ExecutionProviders.Cpu, null);
        }

        var problem = ProbeCuda(settings);
        if (problem is null)
        {
            return new DeviceResolution(ExecutionProviders.Cuda, null);
        }

        if (settings.Device == InferenceDevice.Cuda)
        {
            throw new InvalidOperationException(
                $"Inference:Device is 'cuda' but CUDA is not available: {problem} Install the NVIDIA driver and the CUDA 13 and cuDNN 9 libraries " +
                "libraries (see docs/slm-inference.md), or set Inference:Device to 'auto' or 'cpu'.");
        }

        return new DeviceResolution(ExecutionProviders.Cpu, problem);
    }

    /// <summary>An ONNX model of one Identity node (float[1] x → y), to prove a CUDA session can be created.</summary>
    private const string ProbeModel = "CAg6RwoXCgF4EgF5GgVwcm9iZSIISWRlbnRpdHkSCmN1ZGEtcHJvYmVaDwoBeBIKCggIARIECgIIAWIPCgF5EgoKCAgBEgQKAggBQgQKABAR";

    /// <summary>Tries to open a session with the CUDA provider; returns why it failed, or null.</summary>
    private static string? ProbeCuda(SessionSettings settings)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(ExecutionProviders.Cuda))
        {
            return "this ONNX Runtime build has no CUDA execution provider (the CPU package is installed).";
        }

        try
        {
            // Attaching the provider only loads its library; a session on a one-node model also needs a working
            // driver and device, which is what auto must know before choosing CUDA.
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var cuda = CudaOptions(settings);
            options.AppendExecutionProvider_CUDA(cuda);
            using var session = new InferenceSession(Convert.FromBase64String(ProbeModel), options);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message.ReplaceLineEndings(" ").Trim();
        }
    }
}
