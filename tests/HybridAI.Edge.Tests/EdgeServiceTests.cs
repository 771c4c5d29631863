using HybridAI.Testing;

namespace HybridAI.Edge.Tests;

public sealed class EdgeServiceTests() : ServiceConventionTests<EdgeOptions>(Settings)
{
    internal static readonly IDictionary<string, string?> Settings = new Dictionary<string, string?>();
}
