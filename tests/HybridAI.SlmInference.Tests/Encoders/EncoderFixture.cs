using HybridAI.SlmInference.Core.Encoders;
using HybridAI.SlmInference.Core.Models;
using HybridAI.SlmInference.Core.Runtime;

[assembly: AssemblyFixture(typeof(HybridAI.SlmInference.Tests.Encoders.EncoderFixture))]

namespace HybridAI.SlmInference.Tests.Encoders;

/// <summary>The shipped encoder, extracted and loaded once for every test in the assembly.</summary>
public sealed class EncoderFixture : IDisposable
{
    /// <summary>The extraction cache the tests share with in-process services (one extraction per machine).</summary>
    public static string CacheDirectory { get; } = Path.Combine(Path.GetTempPath(), "hybridai-tests", "models");

    public EncoderFixture()
    {
        var factory = new OnnxSessionFactory(new SessionSettings { Device = InferenceDevice.Cpu });
        Encoder = EncoderLoader.Load(factory, ShippedEncoder.Name, ShippedEncoder.Extract(CacheDirectory), ShippedEncoder.MaxSequenceLength);
    }

    public EncoderModel Encoder { get; }

    public void Dispose() => Encoder.Dispose();
}
