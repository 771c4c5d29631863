using HybridAI.Testing;

namespace HybridAI.Governance.Tests.Calibration;

public sealed class CalibrationOptionsTests
{
    [Fact]
    public void RefusesToStartAndNamesEveryBadCalibrationKey()
    {
        var settings = new Dictionary<string, string?>(GovernanceServiceTests.Settings)
        {
            ["Governance:Calibration:IntervalMinutes"] = "600",
            ["Governance:Calibration:WindowHours"] = "1",
            ["Governance:Calibration:MinSamples"] = "5",
            ["Governance:Calibration:Z"] = "9",
            ["Governance:Calibration:Defaults:NeedsLlm"] = "2",
        };

        ServiceStartup.AssertRefusesToStart<GovernanceOptions>(settings, "Governance:Calibration:WindowHours",
            "Governance:Calibration:MinSamples", "Governance:Calibration:Z", "Governance:Calibration:Defaults:NeedsLlm");
    }
}
