using HybridAI.Governance.Console;
using HybridAI.Testing;

namespace HybridAI.Governance.Tests.Console;

public sealed class ConsoleOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadKey()
    {
        var settings = new Dictionary<string, string?>(GovernanceServiceTests.Settings)
        {
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
