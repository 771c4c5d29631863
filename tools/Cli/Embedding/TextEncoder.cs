using System.Security.Cryptography;
using System.Text;
using HybridAI.SlmInference.Core.Encoders;
using HybridAI.SlmInference.Core.Tokenization;
using HybridAI.SlmInference.Core.Models;
using HybridAI.SlmInference.Core.Runtime;

namespace HybridAI.Cli.Embedding;

/// <summary>
/// The shipped encoder (all-MiniLM-L6-v2) run in-process on the CPU, exactly as slm-inference runs it, with an
/// on-disk cache of embeddings keyed by the encoder's hash and each text's hash, so evaluating after training (or
/// re-training with other settings) does not embed the same texts twice.
/// </summary>
public sealed class TextEncoder : IDisposable
{
    private const int Chunk = 256;
    private readonly EncoderModel _model;
    private readonly string? _cacheFile;
    private readonly Dictionary<string, float[]> _cache = new(StringComparer.Ordinal);
    private bool _dirty;

    private TextEncoder(EncoderModel model, string? cacheDirectory)
    {
        _model = model;
        if (cacheDirectory is not null)
        {
            Directory.CreateDirectory(cacheDirectory);
            _cacheFile = Path.Combine(cacheDirectory, $"pooled-{model.Sha256[..16]}.bin");
            Load();
        }
    }

    public string Name => _model.Name;

    public string Sha256 => _model.Sha256;

    public int Dimensions => _model.Dimensions;

    /// <summary>Opens the shipped encoder; models are extracted under <paramref name="modelCache"/>.</summary>
    public static TextEncoder Open(string modelCache, string? embeddingCache)
    {
        var factory = new OnnxSessionFactory(new SessionSettings { Device = InferenceDevice.Cpu, IntraOpThreads = Environment.ProcessorCount });
        return new TextEncoder(ShippedEncoder.Load(factory, modelCache), embeddingCache);
    }

    /// <summary>Default cache folder: $XDG_CACHE_HOME/hybridai (or ~/.cache/hybridai).</summary>
    public static string DefaultCacheDirectory() =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "hybridai");

    /// <summary>
    /// Pooled encoder outputs of <paramref name="texts"/>: per text, the embedding then the max-pooled states (both
    /// L2-normalised, <c>2 × Dimensions</c> floats), as slm-inference computes them; progress under <paramref name="stage"/>.
    /// </summary>
    public PooledTexts Embed(IReadOnlyList<string> texts, string stage, CancellationToken cancellationToken)
    {
        var result = new float[texts.Count][];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (_cache.TryGetValue(Key(texts[i]), out var cached))
            {
                result[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }

        var progress = new Progress($"embedding {stage}", texts.Count);
        progress.Report(texts.Count - missing.Count);
        for (var start = 0; start < missing.Count; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slice = missing.Skip(start).Take(Chunk).ToArray();
            var vectors = EmbedBoth(slice.Select(i => texts[i]).ToArray());
            for (var j = 0; j < slice.Length; j++)
            {
                result[slice[j]] = vectors[j];
                _cache[Key(texts[slice[j]])] = vectors[j];
            }

            _dirty = true;
            progress.Report(texts.Count - missing.Count + start + slice.Length);
        }

        Save();
        return new PooledTexts(result, Dimensions);
    }

    // Length-sorted batches of 32 (as the service batches), mean and max pooling from one model run.
    private float[][] EmbedBoth(string[] texts)
    {
        const int batchSize = 32;
        var encoded = texts.Select(_model.Tokenize).ToArray();
        var order = Enumerable.Range(0, encoded.Length).OrderBy(i => encoded[i].Length).ToArray();
        var result = new float[texts.Length][];
        var mean = new float[batchSize * Dimensions];
        var max = new float[batchSize * Dimensions];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var count = Math.Min(batchSize, order.Length - start);
            var batch = new EncodedText[count];
            for (var i = 0; i < count; i++)
            {
                batch[i] = encoded[order[start + i]];
            }

            _model.Embed(batch, mean.AsSpan(0, count * Dimensions), max.AsSpan(0, count * Dimensions));
            for (var i = 0; i < count; i++)
            {
                var row = new float[2 * Dimensions];
                mean.AsSpan(i * Dimensions, Dimensions).CopyTo(row);
                max.AsSpan(i * Dimensions, Dimensions).CopyTo(row.AsSpan(Dimensions));
                result[order[start + i]] = row;
            }
        }

        return result;
    }

    private static string Key(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private void Load()
    {
        if (_cacheFile is null || !File.Exists(_cacheFile))
        {
            return;
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(_cacheFile), Encoding.UTF8);
            var dims = reader.ReadInt32();
            var count = reader.ReadInt32();
            if (dims != 2 * Dimensions)
            {
                return;
            }

            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                var vector = new float[dims];
                for (var j = 0; j < dims; j++)
                {
                    vector[j] = reader.ReadSingle();
                }

                _cache[key] = vector;
            }
        }
        catch (EndOfStreamException)
        {
            // A cache cut short by a crash is only a cache: start over.
            _cache.Clear();
        }
    }

    private void Save()
    {
        if (_cacheFile is null || !_dirty)
        {
            return;
        }

        var temporary = _cacheFile + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary), Encoding.UTF8))
        {
            writer.Write(2 * Dimensions);
            writer.Write(_cache.Count);
            foreach (var (key, vector) in _cache)
            {
                writer.Write(key);
                foreach (var v in vector)
                {
                    writer.Write(v);
                }
            }
        }

        File.Move(temporary, _cacheFile, overwrite: true);
        _dirty = false;
    }

    public void Dispose() => _model.Dispose();
}

/// <summary>Per text: the embedding, then the max-pooled states (<c>2 × Dimensions</c> floats).</summary>
public sealed record PooledTexts(float[][] Rows, int Dimensions)
{
    public int Count => Rows.Length;

    public ReadOnlySpan<float> Mean(int i) => Rows[i].AsSpan(0, Dimensions);

    public ReadOnlySpan<float> Max(int i) => Rows[i].AsSpan(Dimensions, Dimensions);

    /// <summary>What a head with this pooling reads: the embedding, or embedding and max pooling.</summary>
    public float[][] For(HybridAI.SlmInference.Core.Heads.HeadPooling pooling) =>
        pooling == HybridAI.SlmInference.Core.Heads.HeadPooling.MeanMax ? Rows : Rows.Select(r => r[..Dimensions]).ToArray();
}
