using System.ComponentModel.DataAnnotations;

namespace HybridAI.Router;

/// <summary>Routing receipts (section <c>Router:Receipts</c>); the outbox itself is <c>GovernanceClient:*</c>.</summary>
public sealed class ReceiptOptions
{
    /// <summary>Receipts waiting to be written to the outbox; when full, requests wait (backpressure), none is dropped.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Largest batch written to the outbox in one transaction (group commit).</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// On shutdown, how long to keep sending the outbox to governance before exiting (an emptyDir outbox in Kubernetes
    /// dies with the pod). Keep it below the pod's terminationGracePeriodSeconds.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    internal IEnumerable<(string Key, string Message)> Validate()
    {
        if (DrainTimeout < TimeSpan.Zero)
        {
            yield return (nameof(DrainTimeout), $"must not be negative, but is {DrainTimeout}.");
        }
    }
}
