using HybridAI.Testing;

namespace HybridAI.Governance.Tests;

public sealed class GovernanceServiceTests() : ServiceConventionTests<GovernanceOptions>(Settings)
{
    internal static readonly IDictionary<string, string?> Settings = new Dictionary<string, string?> { ["Governance:AdminApiKey"] = "admin-key-for-tests-0123456789", ["Governance:DataPath"] = Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N")) };
}
