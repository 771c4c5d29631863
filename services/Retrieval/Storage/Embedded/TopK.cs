namespace HybridAI.Retrieval.Storage.Embedded;

/// <summary>The <c>k</c> best (slot, score) pairs seen, kept in a min-heap; ties keep the lower slot.</summary>
internal sealed class TopK(int k)
{
    private readonly PriorityQueue<int, (float Score, int Slot)> _heap = new(k + 1, Comparer<(float Score, int Slot)>.Create(
        static (x, y) => x.Score != y.Score ? x.Score.CompareTo(y.Score) : y.Slot.CompareTo(x.Slot)));

    public void Offer(int slot, float score)
    {
        if (_heap.Count < k)
        {
            _heap.Enqueue(slot, (score, slot));
        }
        else if (_heap.TryPeek(out _, out var worst) && (score > worst.Score || (score == worst.Score && slot < worst.Slot)))
        {
            _heap.DequeueEnqueue(slot, (score, slot));
        }
    }

    public void Merge(TopK other)
    {
        foreach (var (slot, priority) in other._heap.UnorderedItems)
        {
            Offer(slot, priority.Score);
        }
    }

    /// <summary>The kept pairs, best first.</summary>
    public List<(int Slot, float Score)> Drain()
    {
        var result = new List<(int Slot, float Score)>(_heap.Count);
        while (_heap.TryDequeue(out var slot, out var priority))
        {
            result.Add((slot, priority.Score));
        }

        result.Reverse();
        return result;
    }
}
