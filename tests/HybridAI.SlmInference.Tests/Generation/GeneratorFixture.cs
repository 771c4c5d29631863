using HybridAI.SlmInference.Core.Generation;
using HybridAI.SlmInference.Core.Runtime;
using HybridAI.Testing.Models;

namespace HybridAI.SlmInference.Tests.Generation;

/// <summary>Tiny decoder folders written once per test class, and a CPU session factory.</summary>
public sealed class GeneratorFixture : IDisposable
{
    public GeneratorFixture()
    {
        Root = Directory.CreateTempSubdirectory("hybridai-generator-tests-").FullName;
    }

    public static OnnxSessionFactory Factory { get; } = new(new SessionSettings { Device = InferenceDevice.Cpu, IntraOpThreads = 1 });

    public string Root { get; }

    /// <summary>Writes a tiny decoder with <paramref name="options"/> and loads it.</summary>
    public (TinyDecoder Decoder, GeneratorModel Model) Load(TinyDecoderOptions? options = null, string? name = null)
    {
        var decoder = new TinyDecoder(options);
        var folder = decoder.WriteTo(Path.Combine(Root, name ?? Guid.NewGuid().ToString("N")));
        return (decoder, GeneratorModel.Load("tiny", folder, Factory));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
