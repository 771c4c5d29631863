using HybridAI.Testing;

namespace HybridAI.Router.Tests;

public sealed class RouterServiceTests() : ServiceConventionTests<RouterOptions>(Settings)
{
    internal static readonly IDictionary<string, string?> Settings = new Dictionary<string, string?>();
}
