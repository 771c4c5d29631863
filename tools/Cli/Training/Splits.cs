namespace HybridAI.Cli.Training;

/// <summary>Deterministic data splits (the same seed always gives the same split).</summary>
public static class Splits
{
    /// <summary>Holds out <paramref name="fraction"/> of each class (at least one item of classes with two or more).</summary>
    public static (int[] Train, int[] Holdout) Stratified(IReadOnlyList<int> labels, double fraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var holdout = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var items = group.ToArray();
            random.Shuffle(items);
            var take = items.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(items.Length * fraction));
            holdout.AddRange(items.Take(take));
            train.AddRange(items.Skip(take));
        }

        train.Sort();
        holdout.Sort();
        return (train.ToArray(), holdout.ToArray());
    }

    /// <summary>Holds out whole groups (e.g. MMLU subjects), so evaluation measures transfer to unseen topics.</summary>
    public static (int[] Train, int[] Holdout, string[] HoldoutGroups) ByGroup(IReadOnlyList<string> groups, double fraction, int seed)
    {
        var distinct = groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(distinct);
        var held = distinct.Take((int)Math.Round(distinct.Length * fraction)).ToHashSet(StringComparer.Ordinal);
        var train = Enumerable.Range(0, groups.Count).Where(i => !held.Contains(groups[i])).ToArray();
        var holdout = Enumerable.Range(0, groups.Count).Where(i => held.Contains(groups[i])).ToArray();
        return (train, holdout, held.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>Random split of indices.</summary>
    public static (int[] Train, int[] Holdout) Random(int count, double fraction, int seed)
    {
        var items = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(items);
        var take = (int)Math.Round(count * fraction);
        return (items.Skip(take).Order().ToArray(), items.Take(take).Order().ToArray());
    }
}
