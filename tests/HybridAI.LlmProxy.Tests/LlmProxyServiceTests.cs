using HybridAI.Testing;

namespace HybridAI.LlmProxy.Tests;

public sealed class LlmProxyServiceTests() : ServiceConventionTests<LlmProxyOptions>(Settings)
{
    internal static readonly IDictionary<string, string?> Settings = new Dictionary<string, string?>();
}
