using HybridAI.Testing;

namespace HybridAI.Retrieval.Tests;

public sealed class RetrievalServiceTests() : ServiceConventionTests<RetrievalOptions>(Settings)
{
    internal static readonly IDictionary<string, string?> Settings = new Dictionary<string, string?> { ["Retrieval:DataPath"] = Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N")) };
}
