using HybridAI.Testing;

namespace HybridAI.SlmInference.Tests;

public sealed class InferenceOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>(SlmInferenceServiceTests.Settings)
        {
            ["Inference:MaxBatchSize"] = "0",
            ["Inference:QueueCapacity"] = "0",
            ["Inference:MaxBatchWait"] = "00:00:05",
        };

        ServiceStartup.AssertRefusesToStart<InferenceOptions>(settings, "Inference:MaxBatchSize", "Inference:QueueCapacity", "Inference:MaxBatchWait");
    }
}
