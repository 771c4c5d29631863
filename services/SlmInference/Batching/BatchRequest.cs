using System.Diagnostics;
using HybridAI.SlmInference.Core.Tokenization;

namespace HybridAI.SlmInference.Batching;

/// <summary>One caller's texts in the queue: their slots, where embeddings go, and how the caller is told.</summary>
internal sealed class BatchRequest(EncodedText[] texts, float[] output, ActivityContext parent, CancellationToken cancellationToken)
{
    public EncodedText[] Texts { get; } = texts;

    /// <summary>Row-major <c>Texts.Length × dimensions</c>.</summary>
    public float[] Output { get; } = output;

    public ActivityContext Parent { get; } = parent;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Slots not yet embedded; the request completes when it reaches zero.</summary>
    public int Remaining = texts.Length;

    /// <summary>Set under the batcher's lock when the caller cancelled: its queued slots no longer count and are skipped.</summary>
    public bool Abandoned { get; set; }

    public BatchSlot[] Slots { get; set; } = [];
}

/// <summary>One text of a request, queued in the bucket of its length.</summary>
internal sealed class BatchSlot(BatchRequest request, int index, int bucket)
{
    public BatchRequest Request { get; } = request;

    public int Index { get; } = index;

    public int Bucket { get; } = bucket;

    /// <summary>Taken into a batch (set under the batcher's lock).</summary>
    public bool Taken { get; set; }

    public EncodedText Text => Request.Texts[Index];
}
