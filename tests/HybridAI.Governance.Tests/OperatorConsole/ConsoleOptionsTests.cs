using HybridAI.Governance.OperatorConsole;
using HybridAI.Testing;

namespace HybridAI.Governance.Tests.OperatorConsole;

public sealed class ConsoleOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Governance:AdminApiKey"] = "admin-key-for-tests-0123456789",
            ["Governance:DataPath"] = Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N")),
            ["Governance:Console:SessionMinutes"] = "1",
            ["Governance:Console:MaxRangeDays"] = "366",
            ["Governance:Console:MaxBuckets"] = "24",
            ["Governance:Console:MetricsRefreshSeconds"] = "0",
            ["Governance:Console:LedgerVerifySeconds"] = "1",
        };

        ServiceStartup.AssertRefusesToStart<ConsoleOptions>(settings, "Governance:Console:SessionMinutes", "Governance:Console:MaxBuckets",
            "Governance:Console:MetricsRefreshSeconds", "Governance:Console:LedgerVerifySeconds");
    }
}
