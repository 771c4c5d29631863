using HybridAI.SlmInference.Models;
using HybridAI.SlmInference.Tests.Heads;
using HybridAI.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HybridAI.SlmInference.Tests.Service;

/// <summary>Bad models and settings stop the service at start with the file or key named.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hybridai-startup-tests-").FullName;

    [Fact]
    public void ACorruptModelFileStopsTheServiceNamingTheFile()
    {
        var encoder = Path.Combine(_folder, "broken-encoder");
        Directory.CreateDirectory(encoder);
        File.WriteAllBytes(Path.Combine(encoder, "model.onnx"), [1, 2, 3, 4, 5]);
        File.WriteAllText(Path.Combine(encoder, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n");

        var message = Refuses(new() { ["Inference:Models:broken:Kind"] = "Encoder", ["Inference:Models:broken:Path"] = encoder });
        Assert.Contains(Path.Combine(encoder, "model.onnx"), message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingModelFileStopsTheServiceNamingTheFile()
    {
        var message = Refuses(new() { ["Inference:Models:gone:Kind"] = "Generator", ["Inference:Models:gone:Path"] = Path.Combine(_folder, "nowhere") });
        Assert.Contains(Path.Combine(_folder, "nowhere", "model.onnx"), message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeadTrainedOnAnotherEncoderStopsTheServiceNamingTheFile()
    {
        var head = HeadFiles.Write(HeadFiles.Softmax(encoderSha: new string('a', 64)), _folder);
        var message = Refuses(new() { ["Inference:Models:intent:Kind"] = "Head", ["Inference:Models:intent:Path"] = head });
        Assert.Contains(head, message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", message, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaOnAMachineWithoutItStopsTheServiceWithAClearMessage()
    {
        var message = Refuses(new() { ["Inference:Device"] = "cuda" });
        Assert.Contains("Inference:Device is 'cuda' but CUDA is not available", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoWithoutCudaRunsOnTheCpuAndSaysWhyInOneWarning()
    {
        using var factory = new ServiceFactory<InferenceOptions>(InferenceHost.Settings(new Dictionary<string, string?> { ["Inference:Device"] = "auto" }))
            .WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddFakeLogging()));
        using var client = factory.CreateClient();

        var warnings = factory.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Message.Contains("CUDA is not available", StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Inference:Device is 'auto'", warning.Message, StringComparison.Ordinal);
        Assert.Equal("CPUExecutionProvider", factory.Services.GetRequiredService<ModelHost>().Registry.Device.ExecutionProvider);
    }

    private static string Refuses(Dictionary<string, string?> settings) =>
        ServiceStartup.AssertRefusesToStart<InferenceOptions>(InferenceHost.Settings(settings));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
