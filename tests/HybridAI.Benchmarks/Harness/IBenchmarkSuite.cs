namespace HybridAI.Benchmarks.Harness;

/// <summary>
/// One benchmark suite: measures HybridAI and a baseline side by side in the same run and returns the section of
/// <c>docs/benchmarks.md</c> it owns. Suites are found by reflection; add a class, not a registration.
/// </summary>
public interface IBenchmarkSuite
{
    /// <summary>Command-line name and the id of the section in docs/benchmarks.md (e.g. <c>encoder</c>).</summary>
    string Name { get; }

    string Title { get; }

    Task<BenchmarkSection> RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}

/// <summary>What a suite is given: whether to run a short smoke version, and extra arguments.</summary>
public sealed record BenchmarkContext(bool Quick, IReadOnlyList<string> Arguments)
{
    public string? Option(string name) =>
        Arguments.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}

/// <summary>A suite's results as Markdown (tables, notes), written between its markers in docs/benchmarks.md.</summary>
public sealed record BenchmarkSection(string Markdown);
