namespace HybridAI.Benchmarks.Harness;

/// <summary>
/// docs/benchmarks.md holds one section per suite between <c>&lt;!-- bench:NAME --&gt;</c> and
/// <c>&lt;!-- /bench:NAME --&gt;</c>; a run replaces only its own section, so suites never overwrite each other.
/// </summary>
public static class BenchmarkDocument
{
    public static void WriteSection(string path, string name, string markdown)
    {
        var begin = $"<!-- bench:{name} -->";
        var end = $"<!-- /bench:{name} -->";
        var block = $"{begin}\n{markdown.Trim()}\n{end}";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        text = start >= 0 && stop > start
            ? string.Concat(text.AsSpan(0, start), block, text.AsSpan(stop + end.Length))
            : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
    }
}
