using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Governance.Calibration;

/// <summary>Scheduled threshold calibration (section <c>Governance:Calibration</c>; docs/quality.md).</summary>
public sealed class CalibrationOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Governance:Calibration";

    /// <summary>Run the scheduled job (tenants still opt in with <c>calibration.enabled</c> in their policy).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often proposals are computed for every enabled tenant.</summary>
    [Range(1, 7 * 24 * 60)]
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>How far back samples are read.</summary>
    [Range(1, 366 * 24)]
    public int WindowHours { get; set; } = 7 * 24;

    /// <summary>Fewer samples carrying a signal than this: no proposal for that signal.</summary>
    [Range(20, 10_000_000)]
    public int MinSamples { get; set; } = 200;

    /// <summary>One-sided z of the bounds a proposal must meet (1.645: 95%; 2.326: 99%).</summary>
    [Range(0.0, 5.0)]
    public double Z { get; set; } = 1.645;

    /// <summary>Points kept on each stored curve.</summary>
    [Range(10, 5000)]
    public int MaxCurvePoints { get; set; } = 200;

    /// <summary>The router's <c>Router:Policy:Thresholds</c>: what is in force for a tenant without its own thresholds.</summary>
    public DefaultThresholds Defaults { get; set; } = new();

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (WindowHours * 60 < IntervalMinutes)
        {
            yield return (nameof(WindowHours), $"must cover at least one interval ({IntervalMinutes} minutes), but is {WindowHours} hour(s).");
        }
    }
}

/// <summary>Mirror of the router's default thresholds (keep them equal to <c>Router:Policy:Thresholds</c>).</summary>
public sealed class DefaultThresholds
{
    [Range(0.0, 1.0)]
    public double NeedsLlm { get; set; } = 0.3;

    [Range(0.0, 1.0)]
    public double FaqScore { get; set; } = 0.7;

    [Range(-100.0, 0.0)]
    public double MeanLogprob { get; set; } = -1.2;
}
