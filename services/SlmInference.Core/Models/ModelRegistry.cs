using HybridAI.SlmInference.Core.Encoders;
using HybridAI.SlmInference.Core.Generation;
using HybridAI.SlmInference.Core.Heads;
using HybridAI.SlmInference.Core.Runtime;

namespace HybridAI.SlmInference.Core.Models;

/// <summary>
/// Every model a process serves, loaded and warmed up once: the shipped encoder, further encoders, heads bound to their
/// encoders, and generators. Loading fails with the offending file named; nothing is loaded lazily.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly Dictionary<string, EncoderModel> _encoders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClassificationHead> _heads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GeneratorModel> _generators = new(StringComparer.Ordinal);

    private ModelRegistry(DeviceResolution device) => Device = device;

    public DeviceResolution Device { get; }

    public IReadOnlyDictionary<string, EncoderModel> Encoders => _encoders;

    public IReadOnlyDictionary<string, ClassificationHead> Heads => _heads;

    public IReadOnlyDictionary<string, GeneratorModel> Generators => _generators;

    /// <summary>The encoder used when a request names none.</summary>
    public required EncoderModel DefaultEncoder { get; init; }

    /// <summary>The generator used when a request names none; <see langword="null"/> when none is configured.</summary>
    public GeneratorModel? DefaultGenerator { get; private set; }

    /// <summary>
    /// Loads the shipped encoder (extracted into <paramref name="cacheDirectory"/>) and every entry of <paramref name="specs"/>;
    /// encoders first, so heads can bind to them. <paramref name="defaultEncoder"/> and <paramref name="defaultGenerator"/>
    /// name entries (empty: the shipped encoder, and the only generator if exactly one is configured).
    /// </summary>
    public static ModelRegistry Load(OnnxSessionFactory factory, string cacheDirectory, IEnumerable<ModelSpec> specs,
        string defaultEncoder = "", string defaultGenerator = "")
    {
        ArgumentNullException.ThrowIfNull(factory);
        var list = specs.ToList();
        var duplicate = list.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1 || g.Key == ShippedEncoder.Name);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Model name '{duplicate.Key}' is used twice (the shipped encoder is '{ShippedEncoder.Name}').");
        }

        var shipped = EncoderLoader.Load(factory, ShippedEncoder.Name, ShippedEncoder.Extract(cacheDirectory), ShippedEncoder.MaxSequenceLength);
        var encoders = new List<EncoderModel> { shipped };
        try
        {
            encoders.AddRange(list.Where(s => s.Kind == ModelKind.Encoder)
                .Select(s => EncoderLoader.Load(factory, s.Name, s.Path, s.MaxSequenceLength)));
            var chosen = defaultEncoder.Length == 0 ? shipped : encoders.FirstOrDefault(e => e.Name == defaultEncoder)
                ?? throw new InvalidDataException($"The default encoder '{defaultEncoder}' is not a registered encoder ({string.Join(", ", encoders.Select(e => e.Name))}).");
            var registry = new ModelRegistry(factory.Resolution) { DefaultEncoder = chosen };
            foreach (var encoder in encoders)
            {
                registry._encoders.Add(encoder.Name, encoder);
            }

            encoders.Clear();
            try
            {
                registry.LoadRest(factory, list, defaultGenerator);
            }
            catch
            {
                registry.Dispose();
                throw;
            }

            return registry;
        }
        finally
        {
            foreach (var encoder in encoders)
            {
                encoder.Dispose();
            }
        }
    }

    private void LoadRest(OnnxSessionFactory factory, List<ModelSpec> specs, string defaultGenerator)
    {
        foreach (var spec in specs.Where(s => s.Kind == ModelKind.Head))
        {
            _heads.Add(spec.Name, LoadHead(spec));
        }

        foreach (var spec in specs.Where(s => s.Kind == ModelKind.Generator))
        {
            _generators.Add(spec.Name, GeneratorModel.Load(spec.Name, spec.Path, factory));
        }

        if (defaultGenerator.Length > 0)
        {
            DefaultGenerator = _generators.GetValueOrDefault(defaultGenerator)
                ?? throw new InvalidDataException($"The default generator '{defaultGenerator}' is not a registered generator ({string.Join(", ", _generators.Keys)}).");
        }
        else if (_generators.Count == 1)
        {
            DefaultGenerator = _generators.Values.Single();
        }
    }

    private ClassificationHead LoadHead(ModelSpec spec)
    {
        if (!File.Exists(spec.Path))
        {
            throw new FileNotFoundException($"Head '{spec.Name}': file {spec.Path} does not exist.", spec.Path);
        }

        var file = HeadFile.Read(spec.Path);
        if (!_encoders.TryGetValue(file.Encoder.Name, out var encoder))
        {
            throw new InvalidDataException(
                $"{spec.Path}: head '{file.Name}' needs encoder '{file.Encoder.Name}', which is not registered ({string.Join(", ", _encoders.Keys)}).");
        }

        return new ClassificationHead(file with { Name = spec.Name }, encoder.Name, encoder.Sha256, encoder.Dimensions, ModelFiles.Sha256(spec.Path), spec.Path);
    }

    public void Dispose()
    {
        foreach (var encoder in _encoders.Values)
        {
            encoder.Dispose();
        }

        foreach (var generator in _generators.Values)
        {
            generator.Dispose();
        }
    }
}
