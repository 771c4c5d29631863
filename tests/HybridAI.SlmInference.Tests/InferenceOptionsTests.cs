using HybridAI.SlmInference.Tests.Service;
using HybridAI.Testing;

namespace HybridAI.SlmInference.Tests;

public sealed class InferenceOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = InferenceHost.Settings(new Dictionary<string, string?>
        {
            ["Inference:MaxBatchSize"] = "0",
            ["Inference:QueueCapacity"] = "0",
            ["Inference:MaxBatchWait"] = "00:00:05",
            ["Inference:Models:mystery:Path"] = "/models/mystery",
            ["Inference:Models:nopath:Kind"] = "Encoder",
            ["Inference:DefaultGenerator"] = "qwen",
            ["Inference:Generation:MaxConcurrent"] = "0",
        });

        ServiceStartup.AssertRefusesToStart<InferenceOptions>(settings, "Inference:MaxBatchSize", "Inference:QueueCapacity", "Inference:MaxBatchWait",
            "Inference:Models:mystery:Kind", "Inference:Models:nopath:Path", "Inference:DefaultGenerator", "Inference:Generation:MaxConcurrent");
    }
}
