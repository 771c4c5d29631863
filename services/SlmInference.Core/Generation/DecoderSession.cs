using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HybridAI.SlmInference.Core.Generation;

/// <summary>
/// One sequence's forward passes through a decoder-only ONNX model. With the KV cache, <c>present.N.*</c> outputs are
/// bound to the session's device (CUDA memory on a GPU, through IOBinding) and fed back as <c>past_key_values.N.*</c>
/// without a copy; logits are bound to CPU memory because the sampler reads them. Not thread-safe: one per generation.
/// </summary>
internal sealed class DecoderSession : IDisposable
{
    private readonly GeneratorModel _model;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private IDisposableReadOnlyCollection<OrtValue>? _previous;
    private float[] _logits = [];

    public DecoderSession(GeneratorModel model, RunOptions runOptions)
    {
        _model = model;
        _runOptions = runOptions;
        _binding = model.Session.CreateIoBinding();
    }

    /// <summary>Tokens already in the cache.</summary>
    public int CachedLength { get; private set; }

    /// <summary>
    /// Runs <paramref name="tokens"/> (all new, following <see cref="CachedLength"/> cached ones) and returns the logits of
    /// the last position. Without <paramref name="useCache"/> the cache is ignored: pass the whole sequence each time.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<int> tokens, bool useCache)
    {
        var past = useCache ? CachedLength : 0;
        var total = past + tokens.Length;
        var ids = new long[tokens.Length];
        var positions = new long[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            ids[i] = tokens[i];
            positions[i] = past + i;
        }

        var mask = new long[total];
        Array.Fill(mask, 1L);

        var owned = new List<OrtValue>();
        try
        {
            _binding.ClearBoundInputs();
            _binding.ClearBoundOutputs();
            owned.Add(Bind("input_ids", OrtValue.CreateTensorValueFromMemory(ids, [1, tokens.Length])));
            if (_model.HasAttentionMask)
            {
                owned.Add(Bind("attention_mask", OrtValue.CreateTensorValueFromMemory(mask, [1, total])));
            }

            if (_model.HasPositionIds)
            {
                owned.Add(Bind("position_ids", OrtValue.CreateTensorValueFromMemory(positions, [1, tokens.Length])));
            }

            for (var layer = 0; layer < _model.Layers; layer++)
            {
                foreach (var kind in KeyValue)
                {
                    var name = $"past_key_values.{layer}.{kind}";
                    if (useCache && _previous is not null)
                    {
                        // Outputs come back in binding order: logits first, then present.N.key, present.N.value.
                        _binding.BindInput(name, _previous[1 + (layer * 2) + (kind == "key" ? 0 : 1)]);
                    }
                    else
                    {
                        owned.Add(Bind(name, _model.EmptyCache()));
                    }
                }
            }

            _binding.BindOutputToDevice("logits", OrtMemoryInfo.DefaultInstance);
            var device = _model.DeviceMemory;
            for (var layer = 0; layer < _model.Layers; layer++)
            {
                foreach (var kind in KeyValue)
                {
                    _binding.BindOutputToDevice($"present.{layer}.{kind}", device);
                }
            }

            _model.Session.RunWithBinding(_runOptions, _binding);
            var outputs = _binding.GetOutputValues();
            _previous?.Dispose();
            _previous = outputs;
            CachedLength = total;
            return LastRow(outputs[0], tokens.Length);
        }
        finally
        {
            foreach (var value in owned)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _previous?.Dispose();
        _binding.Dispose();
    }

    private static readonly string[] KeyValue = ["key", "value"];

    private OrtValue Bind(string name, OrtValue value)
    {
        _binding.BindInput(name, value);
        return value;
    }

    private ReadOnlySpan<float> LastRow(OrtValue logits, int rows)
    {
        var info = logits.GetTensorTypeAndShape();
        var vocabulary = (int)info.Shape[^1];
        if (_logits.Length != vocabulary)
        {
            _logits = new float[vocabulary];
        }

        var offset = (rows - 1) * vocabulary;
        if (info.ElementDataType == TensorElementType.Float16)
        {
            var half = logits.GetTensorDataAsSpan<Float16>().Slice(offset, vocabulary);
            for (var i = 0; i < vocabulary; i++)
            {
                _logits[i] = (float)half[i];
            }
        }
        else
        {
            logits.GetTensorDataAsSpan<float>().Slice(offset, vocabulary).CopyTo(_logits);
        }

        return _logits;
    }
}
