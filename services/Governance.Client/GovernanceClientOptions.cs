using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Governance.Client;

/// <summary>Settings of the governance client library (section <c>GovernanceClient</c>) in router and edge.</summary>
public sealed class GovernanceClientOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "GovernanceClient";

    /// <summary>The receipt outbox database (empty: <c>.data/receipt-outbox.db</c> under the working directory).</summary>
    public string OutboxPath { get; set; } = "";

    /// <summary>Receipts sent per RecordReceipts call (governance accepts at most 1000).</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Receipts the outbox holds before it refuses new ones (backpressure, never silent loss).</summary>
    [Range(1000, 100_000_000)]
    public int MaxOutboxReceipts { get; set; } = 1_000_000;

    /// <summary>First wait after a failed send; doubles up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of each call to governance.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on how long a key's authorisation is cached, whatever governance allows (revocation bound).</summary>
    [Range(0, 300)]
    public int MaxKeyCacheSeconds { get; set; } = 30;

    /// <summary>How long an invalid key's refusal is cached, so a flood of bad keys does not reach governance.</summary>
    [Range(0, 60)]
    public int InvalidKeyCacheSeconds { get; set; } = 2;

    [Range(100, 10_000_000)]
    public int MaxCachedKeys { get; set; } = 100_000;

    /// <summary>How often a cached tenant policy is re-read: policy changes reach the router within this time.</summary>
    [Range(1, 300)]
    public int PolicyRefreshSeconds { get; set; } = 5;

    public string ResolvedOutboxPath => Path.GetFullPath(string.IsNullOrWhiteSpace(OutboxPath) ? Path.Combine(".data", "receipt-outbox.db") : OutboxPath);

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (InitialRetryDelay <= TimeSpan.Zero)
        {
            yield return (nameof(InitialRetryDelay), "must be a positive duration.");
        }

        if (MaxRetryDelay < InitialRetryDelay)
        {
            yield return (nameof(MaxRetryDelay), $"must be at least InitialRetryDelay ({InitialRetryDelay}).");
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            yield return (nameof(CallTimeout), "must be a positive duration.");
        }
    }
}
