using System.ComponentModel.DataAnnotations;

namespace HybridAI.Router.Shadow;

/// <summary>
/// Shadow evaluation (section <c>Router:Shadow</c>, docs/quality.md): a sample of the answers served from the SLM tier
/// or the cache is re-run on the LLM tier in the background and judged, within a daily budget per tenant.
/// </summary>
public sealed class ShadowOptions
{
    /// <summary>Off by default: shadow runs spend money on the LLM tier.</summary>
    public bool Enabled { get; set; }

    /// <summary>Share of eligible answers sampled (0..1) for tenants without their own rate in <see cref="Tenants"/>.</summary>
    [Range(0d, 1d)]
    public double SampleRate { get; set; } = 0.02;

    /// <summary>What shadow runs (re-run plus judge) may spend per tenant and UTC day, in micro-dollars; sampling stops when spent.</summary>
    [Range(0L, long.MaxValue)]
    public long DailyBudgetMicros { get; set; } = 1_000_000;

    /// <summary>Per-tenant overrides of <see cref="SampleRate"/> and <see cref="DailyBudgetMicros"/>, by tenant id.</summary>
    public Dictionary<string, ShadowTenantOptions> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Catalogue ids that re-run a sample, in order (the tenant's policy still applies). Empty: the chain the tenant's
    /// LLM requests get.
    /// </summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>The judge: a catalogue id answering the fixed rubric. Empty: the target that re-ran the sample.</summary>
    public string Judge { get; set; } = "";

    /// <summary>
    /// Intents whose answers are labels (classification, extraction): judged by exact match with the LLM tier's answer
    /// as the reference, without a judge call.
    /// </summary>
    public List<string> ExactMatchIntents { get; set; } = [];

    /// <summary>Samples waiting for a worker; when full, new samples are dropped (and counted), never waited for.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Samples evaluated at once.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 2;

    /// <summary>The most tokens the shadow re-run may generate.</summary>
    [Range(1, 100_000)]
    public int MaxTokens { get; set; } = 512;

    /// <summary>The most tokens the judge may answer with (a verdict is one short line).</summary>
    [Range(8, 1000)]
    public int JudgeMaxTokens { get; set; } = 24;

    /// <summary>Results sent to governance in one call.</summary>
    [Range(1, 1000)]
    public int ResultBatch { get; set; } = 100;

    /// <summary>Attempts to deliver a batch of results before it is dropped (and counted as lost).</summary>
    [Range(1, 100)]
    public int ResultAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry of a failed delivery (doubling, at most 30 s).</summary>
    public TimeSpan ResultRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The rate for <paramref name="tenant"/>.</summary>
    public double RateFor(string tenant) => Tenants.TryGetValue(tenant, out var t) && t.SampleRate is { } rate ? rate : SampleRate;

    /// <summary>The daily budget for <paramref name="tenant"/>.</summary>
    public long BudgetFor(string tenant) => Tenants.TryGetValue(tenant, out var t) && t.DailyBudgetMicros is { } budget ? budget : DailyBudgetMicros;

    internal IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var (id, tenant) in Tenants)
        {
            if (tenant.SampleRate is { } rate && !(rate is >= 0 and <= 1))
            {
                yield return ($"{nameof(Tenants)}:{id}:{nameof(ShadowTenantOptions.SampleRate)}", $"must be within 0..1, but is {rate}.");
            }

            if (tenant.DailyBudgetMicros is < 0)
            {
                yield return ($"{nameof(Tenants)}:{id}:{nameof(ShadowTenantOptions.DailyBudgetMicros)}", $"must not be negative, but is {tenant.DailyBudgetMicros}.");
            }
        }

        if (ResultRetryDelay <= TimeSpan.Zero)
        {
            yield return (nameof(ResultRetryDelay), $"must be a positive duration, but is {ResultRetryDelay}.");
        }
    }
}

/// <summary>One tenant's shadow settings (<c>Router:Shadow:Tenants:&lt;id&gt;</c>); unset values take the section's.</summary>
public sealed class ShadowTenantOptions
{
    public double? SampleRate { get; set; }

    public long? DailyBudgetMicros { get; set; }
}
