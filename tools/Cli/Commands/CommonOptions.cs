using System.CommandLine;
using HybridAI.Cli.Embedding;

namespace HybridAI.Cli.Commands;

/// <summary>Options every train/eval command shares.</summary>
public sealed class CommonOptions
{
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for splits (training is deterministic for a given seed)", DefaultValueFactory = _ => 42 };

    public Option<DirectoryInfo?> CacheDir { get; } = new("--cache-dir") { Description = "Where the encoder is extracted and embeddings are cached (default ~/.cache/hybridai)" };

    public Option<bool> NoCache { get; } = new("--no-embedding-cache") { Description = "Do not read or write cached embeddings" };

    /// <summary>Training only: what the head reads from the encoder.</summary>
    public Option<HybridAI.SlmInference.Core.Heads.HeadPooling> Pooling { get; } = new("--pooling")
    {
        Description = "What the head reads: Mean (the sentence embedding) or MeanMax (embedding and max-pooled token states)",
        DefaultValueFactory = _ => HybridAI.SlmInference.Core.Heads.HeadPooling.MeanMax,
    };

    public void AddTo(Command command, bool training = false)
    {
        if (training)
        {
            command.Options.Add(Pooling);
        }

        command.Options.Add(Seed);
        command.Options.Add(CacheDir);
        command.Options.Add(NoCache);
    }

    public TextEncoder OpenEncoder(ParseResult result)
    {
        var cache = result.GetValue(CacheDir)?.FullName ?? TextEncoder.DefaultCacheDirectory();
        return TextEncoder.Open(Path.Combine(cache, "models"), result.GetValue(NoCache) ? null : Path.Combine(cache, "embeddings"));
    }

    /// <summary>The heads shipped with HybridAI (copied next to the tool), used when --head is omitted.</summary>
    public static string DefaultHead(string name) => Path.Combine(AppContext.BaseDirectory, "heads", $"{name}.head.json");
}
