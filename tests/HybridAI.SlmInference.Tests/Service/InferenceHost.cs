using Grpc.Core;
using Grpc.Net.Client;
using HybridAI.Contracts.Inference.V1;
using HybridAI.SlmInference.Tests.Encoders;
using HybridAI.Testing;

namespace HybridAI.SlmInference.Tests.Service;

/// <summary>An in-process slm-inference on the CPU, sharing the tests' model cache, with extra settings.</summary>
public class InferenceHost : IDisposable
{
    public InferenceHost(IDictionary<string, string?>? extra = null)
    {
        var settings = Settings(extra);
        Factory = new ServiceFactory<InferenceOptions>(settings);
        Channel = GrpcChannel.ForAddress(Factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Factory.Server.CreateHandler() });
        Client = new InferenceService.InferenceServiceClient(Channel);
    }

    public ServiceFactory<InferenceOptions> Factory { get; }

    public GrpcChannel Channel { get; }

    public InferenceService.InferenceServiceClient Client { get; }

    /// <summary>The settings every in-process test starts from: CPU, the shared extraction cache.</summary>
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inference:Device"] = "cpu",
            ["Inference:CacheDirectory"] = EncoderFixture.CacheDirectory,
            ["Inference:IntraOpThreads"] = "1",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Asserts the call fails with <paramref name="code"/> and returns the exception for its details.</summary>
    public static async Task<RpcException> FailsWith(StatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        return error;
    }

    public void Dispose()
    {
        Channel.Dispose();
        Factory.Dispose();
        GC.SuppressFinalize(this);
    }
}
