using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Governance.OperatorConsole;

/// <summary>The operator console and its metrics (section <c>Governance:Console</c>).</summary>
public sealed class ConsoleOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Governance:Console";

    /// <summary>How long a console login lasts; rotating the admin key ends every session at once.</summary>
    [Range(5, 7 * 24 * 60)]
    public int SessionMinutes { get; set; } = 8 * 60;

    /// <summary>Mark the session cookie Secure even on plain HTTP (set it when TLS ends at a proxy in front of the edge).</summary>
    public bool AlwaysSecureCookie { get; set; }

    /// <summary>Most time buckets one chart may have; a wider range needs the coarser bucket.</summary>
    [Range(24, 2000)]
    public int MaxBuckets { get; set; } = 400;

    /// <summary>Widest range the console queries at once.</summary>
    [Range(1, 366)]
    public int MaxRangeDays { get; set; } = 92;

    /// <summary>Most receipts the "latest receipts" list shows.</summary>
    [Range(1, 500)]
    public int MaxReceipts { get; set; } = 100;

    /// <summary>Window the exported gauges cover (the hours before each refresh).</summary>
    [Range(1, 24 * 31)]
    public int MetricsWindowHours { get; set; } = 24;

    /// <summary>How often the gauges are recomputed from the ledger.</summary>
    [Range(5, 3600)]
    public int MetricsRefreshSeconds { get; set; } = 30;

    /// <summary>How often the whole ledger chain is re-verified in the background (a full scan).</summary>
    [Range(10, 24 * 3600)]
    public int LedgerVerifySeconds { get; set; } = 300;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (MaxRangeDays * 24 / Math.Max(1, MaxBuckets) > 24)
        {
            yield return (nameof(MaxBuckets), $"is too small for MaxRangeDays {MaxRangeDays}: even day buckets would exceed it.");
        }
    }
}
