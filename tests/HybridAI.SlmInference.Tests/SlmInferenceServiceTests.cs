using HybridAI.Testing;

namespace HybridAI.SlmInference.Tests;

public sealed class SlmInferenceServiceTests() : ServiceConventionTests<InferenceOptions>(Settings)
{
    internal static readonly IDictionary<string, string?> Settings = new Dictionary<string, string?>();
}
