namespace HybridAI.Benchmarks.Retrieval;

/// <summary>Recall@k and MRR@k over queries whose relevant results are known.</summary>
internal sealed class RankingMetrics(string name)
{
    private int _queries;
    private int _hitsAt5;
    private int _hitsAt1;
    private double _reciprocalRanks;

    public string Name { get; } = name;

    /// <summary>Adds one query's ranking (relevance of each result in order).</summary>
    public void Add(IEnumerable<bool> relevance)
    {
        _queries++;
        var rank = 0;
        foreach (var relevant in relevance.Take(10))
        {
            rank++;
            if (!relevant)
            {
                continue;
            }

            _hitsAt1 += rank == 1 ? 1 : 0;
            _hitsAt5 += rank <= 5 ? 1 : 0;
            _reciprocalRanks += 1.0 / rank;
            return;
        }
    }

    public int Queries => _queries;

    public double RecallAt1 => (double)_hitsAt1 / _queries;

    public double RecallAt5 => (double)_hitsAt5 / _queries;

    public double MrrAt10 => _reciprocalRanks / _queries;
}
