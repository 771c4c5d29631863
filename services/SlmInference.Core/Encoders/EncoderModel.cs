using System.Buffers;
using System.Numerics;
using HybridAI.SlmInference.Core.Tokenization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HybridAI.SlmInference.Core.Encoders;

/// <summary>
/// A BERT-family sentence encoder on ONNX Runtime, computing embeddings exactly as sentence-transformers does: the
/// model's token embeddings, mean-pooled over the attention mask, then L2-normalised. Thread-safe; callers batch.
/// </summary>
public sealed class EncoderModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _outputName;
    private readonly bool _hasTokenTypes;

    /// <summary>Wraps an open session; <paramref name="session"/> is owned (disposed) by the encoder.</summary>
    public EncoderModel(string name, InferenceSession session, BertTokenizer tokenizer, int maxSequenceLength, string sha256, string executionProvider)
    {
        ArgumentNullException.ThrowIfNull(session);
        Name = name;
        _session = session;
        Tokenizer = tokenizer;
        Sha256 = sha256;
        ExecutionProvider = executionProvider;
        MaxSequenceLength = maxSequenceLength;
        foreach (var required in new[] { "input_ids", "attention_mask" })
        {
            if (!session.InputMetadata.ContainsKey(required))
            {
                throw new InvalidDataException($"Encoder '{name}': the model has no '{required}' input (inputs: {string.Join(", ", session.InputMetadata.Keys)}).");
            }
        }

        _hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        var output = session.OutputMetadata.FirstOrDefault(o => o.Key == "last_hidden_state");
        if (output.Key is null)
        {
            output = session.OutputMetadata.FirstOrDefault(o => o.Value.Dimensions.Length == 3);
        }

        if (output.Key is null)
        {
            throw new InvalidDataException($"Encoder '{name}': the model has no token-embedding output of rank 3 (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        _outputName = output.Key;
        Dimensions = output.Value.Dimensions[^1];
        if (Dimensions <= 0)
        {
            // A symbolic hidden size: learn it from one tiny run.
            Dimensions = Probe();
        }
    }

    public string Name { get; }

    /// <summary>Embedding size.</summary>
    public int Dimensions { get; }

    /// <summary>Most ids fed per text (special tokens included); longer texts are truncated.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>SHA-256 of the model file, lower-case hex; heads are bound to it.</summary>
    public string Sha256 { get; }

    public string ExecutionProvider { get; }

    public BertTokenizer Tokenizer { get; }

    /// <summary>Tokenises one text for this encoder (with the model's truncation rule).</summary>
    public EncodedText Tokenize(string text) => Tokenizer.Encode(text, MaxSequenceLength);

    /// <summary>
    /// Embeds a batch into <paramref name="destination"/> (row-major, <c>batch.Length × Dimensions</c>). Texts are padded
    /// to the longest in the batch, so callers should group texts of similar length.
    /// </summary>
    public void Embed(ReadOnlySpan<EncodedText> batch, Span<float> destination, RunOptions? runOptions = null) =>
        Embed(batch, destination, default, runOptions);

    /// <summary>
    /// As <see cref="Embed(ReadOnlySpan{EncodedText}, Span{float}, RunOptions?)"/>, and also writes each text's max-pooled,
    /// L2-normalised token states into <paramref name="maxPooled"/> (same layout) when it is not empty. Heads with
    /// <see cref="Heads.HeadPooling.MeanMax"/> read both; the extra pass over the hidden states costs little beside the model.
    /// </summary>
    public void Embed(ReadOnlySpan<EncodedText> batch, Span<float> destination, Span<float> maxPooled, RunOptions? runOptions = null)
    {
        if (batch.IsEmpty)
        {
            return;
        }

        if (destination.Length < batch.Length * Dimensions)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; {batch.Length * Dimensions} are needed.", nameof(destination));
        }

        var rows = batch.Length;
        var width = 0;
        foreach (var text in batch)
        {
            width = Math.Max(width, text.Length);
        }

        var cells = rows * width;
        var ids = ArrayPool<long>.Shared.Rent(cells);
        var mask = ArrayPool<long>.Shared.Rent(cells);
        var types = _hasTokenTypes ? ArrayPool<long>.Shared.Rent(cells) : null;
        try
        {
            Array.Clear(mask, 0, cells);
            for (var r = 0; r < rows; r++)
            {
                var source = batch[r].Ids;
                var offset = r * width;
                for (var c = 0; c < width; c++)
                {
                    ids[offset + c] = c < source.Length ? source[c] : Tokenizer.PaddingId;
                    mask[offset + c] = c < source.Length ? 1 : 0;
                }
            }

            if (types is not null)
            {
                Array.Clear(types, 0, cells);
            }

            long[] shape = [rows, width];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(ids, 0, cells), shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(mask, 0, cells), shape);
            using var typesValue = types is null ? null : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(types, 0, cells), shape);
            var names = types is null ? InputNamesWithoutTypes : InputNamesWithTypes;
            OrtValue[] values = typesValue is null ? [idsValue, maskValue] : [idsValue, maskValue, typesValue];
            using var ownedRunOptions = runOptions is null ? new RunOptions() : null;
            using var outputs = _session.Run(runOptions ?? ownedRunOptions!, names, values, [_outputName]);
            Pool(outputs[0], batch, width, destination, maxPooled);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(mask);
            if (types is not null)
            {
                ArrayPool<long>.Shared.Return(types);
            }
        }
    }

    /// <summary>Embeds texts in length-sorted batches of <paramref name="batchSize"/>; results are in input order.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var encoded = texts.Select(Tokenize).ToArray();
        var order = Enumerable.Range(0, encoded.Length).OrderBy(i => encoded[i].Length).ToArray();
        var result = new float[texts.Count][];
        var buffer = new float[batchSize * Dimensions];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var count = Math.Min(batchSize, order.Length - start);
            var batch = new EncodedText[count];
            for (var i = 0; i < count; i++)
            {
                batch[i] = encoded[order[start + i]];
            }

            Embed(batch, buffer);
            for (var i = 0; i < count; i++)
            {
                result[order[start + i]] = buffer.AsSpan(i * Dimensions, Dimensions).ToArray();
            }
        }

        return result;
    }

    public void Dispose() => _session.Dispose();

    private static readonly string[] InputNamesWithTypes = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] InputNamesWithoutTypes = ["input_ids", "attention_mask"];

    private void Pool(OrtValue output, ReadOnlySpan<EncodedText> batch, int width, Span<float> destination, Span<float> maxPooled)
    {
        var info = output.GetTensorTypeAndShape();
        var dims = Dimensions;
        if (info.ElementDataType == TensorElementType.Float16)
        {
            var half = output.GetTensorDataAsSpan<Float16>();
            var widened = ArrayPool<float>.Shared.Rent(half.Length);
            try
            {
                for (var i = 0; i < half.Length; i++)
                {
                    widened[i] = (float)half[i];
                }

                MeanPoolAndNormalise(widened.AsSpan(0, half.Length), batch, width, dims, destination);
                if (!maxPooled.IsEmpty)
                {
                    MaxPoolAndNormalise(widened.AsSpan(0, half.Length), batch, width, dims, maxPooled);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(widened);
            }

            return;
        }

        MeanPoolAndNormalise(output.GetTensorDataAsSpan<float>(), batch, width, dims, destination);
        if (!maxPooled.IsEmpty)
        {
            MaxPoolAndNormalise(output.GetTensorDataAsSpan<float>(), batch, width, dims, maxPooled);
        }
    }

    /// <summary>Element-wise maximum over each text's real (unpadded) tokens, then L2 normalisation.</summary>
    internal static void MaxPoolAndNormalise(ReadOnlySpan<float> hidden, ReadOnlySpan<EncodedText> batch, int width, int dims, Span<float> destination)
    {
        for (var r = 0; r < batch.Length; r++)
        {
            var target = destination.Slice(r * dims, dims);
            target.Fill(float.NegativeInfinity);
            var tokens = Math.Max(batch[r].Length, 1);
            for (var t = 0; t < tokens; t++)
            {
                System.Numerics.Tensors.TensorPrimitives.Max(target, hidden.Slice(((r * width) + t) * dims, dims), target);
            }

            var norm = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(target, target));
            System.Numerics.Tensors.TensorPrimitives.Multiply(target, (float)(1 / Math.Max(norm, 1e-12)), target);
        }
    }

    /// <summary>sentence-transformers' mean pooling (sum of unmasked token vectors / count) and L2 normalisation.</summary>
    internal static void MeanPoolAndNormalise(ReadOnlySpan<float> hidden, ReadOnlySpan<EncodedText> batch, int width, int dims, Span<float> destination)
    {
        for (var r = 0; r < batch.Length; r++)
        {
            var target = destination.Slice(r * dims, dims);
            target.Clear();
            var tokens = batch[r].Length;
            for (var t = 0; t < tokens; t++)
            {
                Add(target, hidden.Slice(((r * width) + t) * dims, dims));
            }

            var scale = 1f / Math.Max(tokens, 1e-9f);
            var norm = 0d;
            for (var d = 0; d < dims; d++)
            {
                target[d] *= scale;
                norm += target[d] * (double)target[d];
            }

            var inverse = (float)(1 / Math.Max(Math.Sqrt(norm), 1e-12));
            for (var d = 0; d < dims; d++)
            {
                target[d] *= inverse;
            }
        }
    }

    private static void Add(Span<float> target, ReadOnlySpan<float> source)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(target[i..]) + new Vector<float>(source[i..])).CopyTo(target[i..]);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }

    private int Probe()
    {
        var probe = Tokenize("probe");
        long[] shape = [1, probe.Length];
        using var ids = OrtValue.CreateTensorValueFromMemory(probe.Ids.Select(i => (long)i).ToArray(), shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, probe.Length).ToArray(), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[probe.Length], shape);
        OrtValue[] values = _hasTokenTypes ? [ids, mask, types] : [ids, mask];
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _hasTokenTypes ? InputNamesWithTypes : InputNamesWithoutTypes, values, [_outputName]);
        return (int)outputs[0].GetTensorTypeAndShape().Shape[^1];
    }
}
