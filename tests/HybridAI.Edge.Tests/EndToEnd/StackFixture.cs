using System.Net.Http.Headers;
using HybridAI.Governance;
using HybridAI.LlmProxy;
using HybridAI.Retrieval;
using HybridAI.Router;
using HybridAI.SlmInference;
using HybridAI.Testing.Services;
using HybridAI.Testing.Upstreams;

namespace HybridAI.Edge.Tests.EndToEnd;

/// <summary>
/// The whole system on loopback ports, wired by service discovery as the AppHost wires it: governance (with the dev
/// tenant and its key), slm-inference on the CPU with the shipped encoder and heads, llm-proxy pointed at an in-test
/// OpenAI server, retrieval with its embedded store and the sample knowledge base in the dev tenant, router, and the
/// edge in front. Clients talk only to the edge.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    public const string DevKey = "hai_dev-key-for-edge-end-to-end-tests-0123";
    public const string AdminKey = "admin-key-for-edge-end-to-end-tests-0123";

    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> _services = [];

    public OpenAIUpstream Upstream { get; private set; } = null!;

    public LoopbackService<EdgeOptions> Edge { get; private set; } = null!;

    /// <summary>The edge's main port, as an OpenAI client is given it (<c>…/v1</c>).</summary>
    public Uri OpenAIEndpoint => new(Edge.HttpAddress, "v1");

    public async ValueTask InitializeAsync()
    {
        Upstream = await OpenAIUpstream.StartAsync(TestContext.Current.CancellationToken);
        var governance = Start<GovernanceOptions>("governance", new()
        {
            ["Governance:AdminApiKey"] = AdminKey,
            ["Governance:DevApiKey"] = DevKey,
            ["Governance:DataPath"] = Path.Combine(_dataPath, "governance"),
        });
        var slm = Start<InferenceOptions>("slm-inference", new()
        {
            ["Inference:Device"] = "cpu",
            ["Inference:CacheDirectory"] = Path.Combine(Path.GetTempPath(), "hybridai-tests", "models"),
            ["Inference:IntraOpThreads"] = "1",
        });
        var llm = Start<LlmProxyOptions>("llm-proxy", new()
        {
            ["LlmProxy:Default:Endpoint"] = Upstream.BaseAddress.ToString(),
            ["LlmProxy:Default:Provider"] = "openai-compatible",
            ["LlmProxy:Default:UpstreamModel"] = "gpt-4o-mini",
        });
        var retrieval = Start<RetrievalOptions>("retrieval", With([slm.DiscoverySettings()], new()
        {
            ["Retrieval:VectorStore"] = "Embedded",
            ["Retrieval:LoadSampleKnowledgeBase"] = "true",
            ["Retrieval:DataPath"] = Path.Combine(_dataPath, "retrieval"),
        }));
        var router = Start<RouterOptions>("router", With([slm.DiscoverySettings(), llm.DiscoverySettings(), retrieval.DiscoverySettings(), governance.DiscoverySettings()], new()
        {
            ["GovernanceClient:OutboxPath"] = Path.Combine(_dataPath, "router-outbox.db"),
        }));
        Edge = Start<EdgeOptions>("edge", With([router.DiscoverySettings(), retrieval.DiscoverySettings(), governance.DiscoverySettings()], new()
        {
            ["Edge:AdminApiKey"] = AdminKey,
            ["Edge:MaxRequestBodyBytes"] = (256 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));

        // The dev tenant's sample knowledge base (faq, docs) is loaded before any test runs, so tests can search it.
        await ServiceSettings.WaitUntilHealthyAsync(retrieval.HttpAddress, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    /// <summary>A plain HTTP client of the edge carrying the dev key.</summary>
    public HttpClient DevClient()
    {
        var client = new HttpClient { BaseAddress = Edge.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevKey);
        return client;
    }

    private LoopbackService<T> Start<T>(string name, Dictionary<string, string?> settings) where T : class
    {
        var service = new LoopbackService<T>(name, settings);
        _services.Add(service);
        return service;
    }

    /// <summary><paramref name="settings"/> plus what is needed to find <paramref name="dependencies"/> by name.</summary>
    private static Dictionary<string, string?> With(Dictionary<string, string?>[] dependencies, Dictionary<string, string?> settings) =>
        ServiceSettings.Merge([settings, .. dependencies]);

    public async ValueTask DisposeAsync()
    {
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            _services[i].Dispose();
        }

        await Upstream.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
