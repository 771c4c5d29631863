using HybridAI.Retrieval;
using HybridAI.SlmInference;
using HybridAI.Testing.Services;

[assembly: AssemblyFixture(typeof(HybridAI.Reliability.Tests.Harness.LocalTier))]

// Outages are injected into shared machinery (ports, CPU): one scenario at a time keeps them from disturbing each other.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace HybridAI.Reliability.Tests.Harness;

/// <summary>
/// The parts no scenario kills, shared by all of them: slm-inference on the CPU with the shipped heads, and retrieval
/// with the embedded store and the sample knowledge base (the FAQ of the dev tenant).
/// </summary>
public sealed class LocalTier : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hybridai-tests", "reliability", Guid.NewGuid().ToString("N"));

    public LoopbackService<InferenceOptions> Inference { get; private set; } = null!;

    public LoopbackService<RetrievalOptions> Retrieval { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Inference = new LoopbackService<InferenceOptions>("slm-inference", new Dictionary<string, string?>
        {
            ["Inference:Device"] = "cpu",
            ["Inference:CacheDirectory"] = Path.Combine(Path.GetTempPath(), "hybridai-tests", "models"),
            ["Inference:IntraOpThreads"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        Retrieval = new LoopbackService<RetrievalOptions>("retrieval", ServiceSettings.Merge(Inference.DiscoverySettings(), new()
        {
            ["Retrieval:DataPath"] = Path.Combine(_root, "retrieval"),
            ["Retrieval:LoadSampleKnowledgeBase"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        // Retrieval reports Healthy once the sample knowledge base is loaded.
        await ServiceSettings.WaitUntilHealthyAsync(Retrieval.HttpAddress, TimeSpan.FromMinutes(2));
    }

    public ValueTask DisposeAsync()
    {
        Retrieval?.Dispose();
        Inference?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A store still closing; the OS temp cleaner takes it.
        }

        return ValueTask.CompletedTask;
    }
}
