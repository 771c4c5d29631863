namespace HybridAI.Testing;

/// <summary>
/// Locates the public labelled data in <c>../shared/datasets/</c> (relative to the repository root). It is read
/// in place and never copied into the project. <c>HYBRIDAI_DATASETS</c> overrides the location.
/// </summary>
public static class SharedDatasets
{
    private static readonly Lazy<string> Root = new(Locate);

    /// <summary>The datasets folder.</summary>
    public static string Directory => Root.Value;

    /// <summary>A file under the datasets folder, e.g. <c>intent/banking77/test.csv</c>; fails clearly when absent.</summary>
    public static string File(string relativePath)
    {
        var path = Path.Combine(Directory, relativePath);
        return System.IO.File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Shared dataset file '{relativePath}' is not in {Directory}.", path);
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("HYBRIDAI_DATASETS") is { Length: > 0 } configured)
        {
            return System.IO.Directory.Exists(configured)
                ? configured
                : throw new DirectoryNotFoundException($"HYBRIDAI_DATASETS points at {configured}, which does not exist.");
        }

        var repoRoot = RepositoryRoot();
        string[] candidates =
        [
            Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "datasets")),
            Path.GetFullPath(Path.Combine(repoRoot, "..", "..", "shared", "datasets")),
            "/work/shared/datasets",
        ];
        return candidates.FirstOrDefault(System.IO.Directory.Exists)
            ?? throw new DirectoryNotFoundException(
                $"The shared datasets were not found (looked in {string.Join(", ", candidates)}); set HYBRIDAI_DATASETS.");
    }

    /// <summary>The folder holding <c>HybridAI.sln</c>, found from the running assembly's location.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "HybridAI.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"HybridAI.sln was not found above {AppContext.BaseDirectory}.");
    }
}
