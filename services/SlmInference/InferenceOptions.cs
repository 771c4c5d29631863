using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;
using HybridAI.SlmInference.Core.Models;
using HybridAI.SlmInference.Core.Runtime;

namespace HybridAI.SlmInference;

/// <summary>slm-inference settings (section <c>Inference</c>).</summary>
public sealed class InferenceOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Inference";

    /// <summary><c>auto</c> (CUDA when available, else CPU), <c>cuda</c> (or fail at start) or <c>cpu</c>.</summary>
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

    /// <summary>
    /// Wait for a batch to fill only while calls arrive less than MaxBatchWait apart (moving average), so a lone caller
    /// is not delayed; false always waits up to MaxBatchWait.
    /// </summary>
    public bool AdaptiveBatchWait { get; set; } = true;

    /// <summary>Texts waiting for a batch; beyond it calls fail fast with RESOURCE_EXHAUSTED.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Most texts one Embed or Classify call may carry.</summary>
    [Range(1, 100_000)]
    public int MaxTextsPerRequest { get; set; } = 256;

    /// <summary>Batches run at once per encoder; each uses <see cref="IntraOpThreads"/> threads.</summary>
    [Range(1, 64)]
    public int BatchWorkers { get; set; } = 2;

    /// <summary>Where shipped models are extracted once (empty: a folder under the system temp path).</summary>
    public string CacheDirectory { get; set; } = "";

    /// <summary>ONNX Runtime intra-op threads per inference; 0 shares the cores among the batch workers.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    /// <summary>Let ONNX Runtime's idle threads spin between runs (lower latency, more CPU burnt).</summary>
    public bool AllowSpinning { get; set; }

    /// <summary>The encoder used when a request names none (empty: the shipped all-MiniLM-L6-v2).</summary>
    public string DefaultEncoder { get; set; } = "";

    /// <summary>The generator used when a request names none (empty: the only configured generator, if exactly one).</summary>
    public string DefaultGenerator { get; set; } = "";

    /// <summary>Further models by name: <c>Inference:Models:&lt;name&gt;:Kind</c> and <c>:Path</c>.</summary>
    public Dictionary<string, ModelEntryOptions> Models { get; set; } = new(StringComparer.Ordinal);

    public GenerationOptions Generation { get; set; } = new();

    /// <summary>The cache folder in use.</summary>
    public string ResolvedCacheDirectory => CacheDirectory.Length > 0 ? CacheDirectory : Path.Combine(Path.GetTempPath(), "hybridai", "models");

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

        foreach (var (name, entry) in Models)
        {
            if (name == ShippedEncoder.Name)
            {
                yield return ($"{nameof(Models)}:{name}", $"'{ShippedEncoder.Name}' is the shipped encoder's name; choose another.");
            }

            if (entry.Kind is null)
            {
                yield return ($"{nameof(Models)}:{name}:{nameof(ModelEntryOptions.Kind)}", "is required: Encoder, Head or Generator.");
            }
        }

        var generators = Models.Where(m => m.Value.Kind == ModelKind.Generator).Select(m => m.Key).ToArray();
        if (DefaultGenerator.Length > 0 && !generators.Contains(DefaultGenerator))
        {
            yield return (nameof(DefaultGenerator), $"names '{DefaultGenerator}', which is not a configured generator ({(generators.Length == 0 ? "none is" : string.Join(", ", generators))}).");
        }

        var encoders = Models.Where(m => m.Value.Kind == ModelKind.Encoder).Select(m => m.Key).Append(ShippedEncoder.Name).ToArray();
        if (DefaultEncoder.Length > 0 && !encoders.Contains(DefaultEncoder))
        {
            yield return (nameof(DefaultEncoder), $"names '{DefaultEncoder}', which is not an encoder ({string.Join(", ", encoders)}).");
        }

        if (Generation.DefaultMaxTokens > Generation.MaxTokensLimit)
        {
            yield return ($"{nameof(Generation)}:{nameof(GenerationOptions.DefaultMaxTokens)}", $"must not exceed MaxTokensLimit ({Generation.MaxTokensLimit}), but is {Generation.DefaultMaxTokens}.");
        }
    }

    /// <summary>
    /// The registry entries these options describe. Relative paths are relative to the application folder, where the
    /// shipped heads are (heads/*.head.json), so they resolve the same under Aspire, in tests and in containers.
    /// </summary>
    public IEnumerable<ModelSpec> ModelSpecs() =>
        Models.Select(m => new ModelSpec(m.Key, m.Value.Kind ?? ModelKind.Encoder,
            System.IO.Path.IsPathRooted(m.Value.Path) ? m.Value.Path : System.IO.Path.Combine(AppContext.BaseDirectory, m.Value.Path),
            m.Value.MaxSequenceLength));
}

/// <summary>One registry entry (<c>Inference:Models:&lt;name&gt;</c>).</summary>
public sealed class ModelEntryOptions
{
    public ModelKind? Kind { get; set; }

    /// <summary>Folder (encoders, generators) or head file.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "";

    /// <summary>Encoders: truncation window in tokens; 0 reads it from the folder.</summary>
    [Range(0, 8192)]
    public int MaxSequenceLength { get; set; }
}

/// <summary>Generator limits (<c>Inference:Generation</c>).</summary>
public sealed class GenerationOptions
{
    /// <summary>max_tokens when a request leaves it 0.</summary>
    [Range(1, 32768)]
    public int DefaultMaxTokens { get; set; } = 256;

    /// <summary>The largest max_tokens a request may ask for.</summary>
    [Range(1, 32768)]
    public int MaxTokensLimit { get; set; } = 4096;

    /// <summary>Generations running at once; each runs on its own thread.</summary>
    [Range(1, 64)]
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>Generations waiting for a slot; beyond it calls fail fast with RESOURCE_EXHAUSTED.</summary>
    [Range(0, 10_000)]
    public int QueueCapacity { get; set; } = 16;
}
