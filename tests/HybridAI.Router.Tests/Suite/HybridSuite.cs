using System.Net.Http.Json;
using HybridAI.Governance;
using HybridAI.LlmProxy;
using HybridAI.Retrieval;
using HybridAI.SlmInference;
using HybridAI.Testing.Models;
using HybridAI.Testing.Redis;
using HybridAI.Testing.Services;
using HybridAI.Testing.Upstreams;

[assembly: AssemblyFixture(typeof(HybridAI.Router.Tests.Suite.HybridSuite))]

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// The whole suite behind the edge, in process on loopback ports, as the AppHost runs it in local mode: slm-inference
/// on CPU with the shipped heads and a tiny local generator, llm-proxy against two in-test OpenAI upstreams
/// (a primary and a backup model), retrieval with the embedded store and the sample knowledge base in the dev tenant,
/// governance with its own data folder, a real redis-server for the router's cache, and the router. Tests call the
/// router as the edge does: with <c>x-hybridai-tenant</c> stamped.
/// </summary>
public sealed class HybridSuite : IAsyncLifetime
{
    public const string AdminKey = "suite-admin-key-0123456789";
    public const string DevKey = "suite-dev-key-0123456789abcdef";
    public const string PrimaryModel = "gpt-primary";
    public const string BackupModel = "gpt-backup";

    /// <summary>A prompt containing this marker makes the primary upstream fail with 500 (fallback tests).</summary>
    public const string FailPrimaryMarker = "[fail-primary]";

    /// <summary>A prompt containing this marker is echoed back by the primary upstream as it received it (redaction tests).</summary>
    public const string EchoMarker = "[echo]";

    /// <summary>With a tool script: once a tool result is in the conversation, both upstreams refuse the turn (400, not retried, no breaker).</summary>
    public const string RefuseToolTurnMarker = "[refuse-tool-turn]";

    /// <summary>With a tool script: once a tool result is in the conversation, the primary cuts its stream after two words.</summary>
    public const string CutToolTurnMarker = "[cut-tool-turn]";

    public const string PrimaryAnswer = "Answer from the primary model.";

    /// <summary>Tenants created at start: two with the default policy, one whose sensitive data must stay local.</summary>
    public const string TenantA = "acme";
    public const string TenantB = "globex";
    public const string LocalOnlyTenant = "vault";

    /// <summary>A tenant whose daily budget (50 micro-dollars) no LLM request fits in.</summary>
    public const string ThriftyTenant = "thrifty";

    /// <summary>A tenant only the receipt tests use, so its ledger holds only their requests.</summary>
    public const string AuditedTenant = "audited";

    /// <summary>A tenant whose policy pins translations to the backup model.</summary>
    public const string PinnedTenant = "pinned";

    /// <summary>Tenants of the quality-loop tests (feedback; shadow evaluation on <see cref="ShadowRouter"/>).</summary>
    public const string RatedTenant = "rated";
    public const string RatedReportTenant = "rated-report";
    public const string ShadowedTenant = "shadowed";
    public const string ShadowRateTenant = "shadow-rate";
    public const string ShadowBudgetTenant = "shadow-budget";
    public const string ShadowSlowTenant = "shadow-slow";
    public const string ShadowRedactTenant = "shadow-redact";

    /// <summary>The shadow sample rate of <see cref="ShadowRateTenant"/>.</summary>
    public const double ShadowRate = 0.5;

    /// <summary>The daily shadow budget of <see cref="ShadowBudgetTenant"/>: two <see cref="CostlyMarker"/> re-runs fit, a third does not.</summary>
    public const long ShadowBudgetMicros = 20_000;

    /// <summary>The judge's verdict on every shadow sample (the backup upstream plays the judge).</summary>
    public const double JudgeParity = 0.75;

    /// <summary>While <see cref="CostlyPrimary"/> is set, a prompt containing this marker is answered by the primary with 1,000 prompt and 1,000 completion tokens (12,500 micro-dollars).</summary>
    public const string CostlyMarker = "[costly]";

    /// <summary>While <see cref="SlowPrimary"/> is set, a prompt containing this marker is answered by the primary after <see cref="SlowDelay"/>.</summary>
    public const string SlowMarker = "[slow]";

    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(3);

    private readonly List<IDisposable> _services = [];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hybridai-tests", "router", Guid.NewGuid().ToString("N"));

    public OpenAIUpstream Primary { get; private set; } = null!;

    public OpenAIUpstream Backup { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public LoopbackService<GovernanceOptions> Governance { get; private set; } = null!;

    public LoopbackService<InferenceOptions> Inference { get; private set; } = null!;

    public LoopbackService<RouterOptions> Router { get; private set; } = null!;

    public LoopbackService<RetrievalOptions> Retrieval { get; private set; } = null!;

    /// <summary>A router whose policy adds the tenant's <c>handbook</c> collection to every LLM prompt.</summary>
    public LoopbackService<RouterOptions> RagRouter { get; private set; } = null!;

    /// <summary>A router whose llm-proxy has an empty catalogue, as local mode runs before an LLM is configured.</summary>
    public LoopbackService<RouterOptions> NoLlmRouter { get; private set; } = null!;

    /// <summary>A second router whose SLM tier has a local generator (<c>tiny-unsure</c>), for cascade tests.</summary>
    public LoopbackService<RouterOptions> CascadeRouter { get; private set; } = null!;

    /// <summary>
    /// A router with shadow evaluation on for the shadow tenants: re-runs on the primary, the backup judges, a queue of
    /// one sample and one worker (so a slow re-run fills it).
    /// </summary>
    public LoopbackService<RouterOptions> ShadowRouter { get; private set; } = null!;

    /// <summary>Makes the primary's answers to prompts with <see cref="CostlyMarker"/> expensive (shadow budget tests).</summary>
    public bool CostlyPrimary { get; set; }

    /// <summary>Makes the primary slow for prompts with <see cref="SlowMarker"/> (shadow latency tests).</summary>
    public bool SlowPrimary { get; set; }

    /// <summary>
    /// The primary upstream's scripted behaviour. Tests that answer their own marker differently set a responder that
    /// falls through to this one, so the suite's markers keep working for the tests running beside them.
    /// </summary>
    public UpstreamReply PrimaryReply(RecordedRequest r) =>
        AfterToolResult(r, RefuseToolTurnMarker) ? UpstreamReply.Status(400, "refused")
        : AfterToolResult(r, CutToolTurnMarker) ? UpstreamReply.Cut(2)
        // A prompt scripting tool calls ([tools: …], see ToolScript) makes the primary's model call them turn by turn.
        : ToolScript.Reply(r) is { } scripted ? scripted
        : r.Body.Contains(FailPrimaryMarker, StringComparison.Ordinal) ? UpstreamReply.Status(500, "primary is down")
        : r.Body.Contains(EchoMarker, StringComparison.Ordinal) ? UpstreamReply.WithText("Noted: " + LastUserMessage(r))
        : r.Body.Contains(CostlyMarker, StringComparison.Ordinal) && CostlyPrimary ? UpstreamReply.WithText(PrimaryAnswer).WithUsage(1000, 1000)
        : r.Body.Contains(SlowMarker, StringComparison.Ordinal) && SlowPrimary ? UpstreamReply.WithText(PrimaryAnswer).WithFirstTokenDelay(SlowDelay)
        : UpstreamReply.WithText(PrimaryAnswer);

    /// <summary>The backup upstream's behaviour: it also plays the shadow judge (a rubric prompt gets a verdict).</summary>
    public static UpstreamReply BackupReply(RecordedRequest r) =>
        AfterToolResult(r, RefuseToolTurnMarker) ? UpstreamReply.Status(400, "refused")
        : r.Body.Contains("REFERENCE ANSWER:", StringComparison.Ordinal)
            ? UpstreamReply.WithText(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"VERDICT: {JudgeParity}"))
            : UpstreamReply.WithText("Answer from the backup model.");

    private static bool AfterToolResult(RecordedRequest r, string marker) =>
        r.Body.Contains(marker, StringComparison.Ordinal) && r.Body.Contains("\"role\":\"tool\"", StringComparison.Ordinal);

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        Primary = await OpenAIUpstream.StartAsync();
        Backup = await OpenAIUpstream.StartAsync();
        Primary.Respond(PrimaryReply);
        Backup.Respond(BackupReply);
        Redis = await RedisServer.StartNewAsync();

        var inference = Inference = Start(new LoopbackService<InferenceOptions>("slm-inference", new Dictionary<string, string?>
        {
            ["Inference:Device"] = "cpu",
            ["Inference:CacheDirectory"] = Path.Combine(Path.GetTempPath(), "hybridai-tests", "models"),
            ["Inference:IntraOpThreads"] = "1",
            // Near-uniform next-token distributions: every answer is unsure (mean log-probability about -5.6).
            ["Inference:Models:tiny-unsure:Kind"] = "Generator",
            ["Inference:Models:tiny-unsure:Path"] = new TinyDecoder(new TinyDecoderOptions { ContextWindow = 1024, WeightScale = 0.01f })
                .WriteTo(Path.Combine(_root, "tiny-unsure")),
            ["Logging:LogLevel:Default"] = "Warning",
        }));

        var llm = Start(new LoopbackService<LlmProxyOptions>("llm-proxy", ServiceSettings.Merge(
            ServiceSettings.LlmModel(0, PrimaryModel, Primary, inputPrice: 2.5m, outputPrice: 10m),
            ServiceSettings.LlmModel(1, BackupModel, Backup, inputPrice: 0.15m, outputPrice: 0.6m),
            new()
            {
                ["LlmProxy:Resilience:MaxRetries"] = "1",
                ["LlmProxy:Resilience:RetryBaseDelay"] = "00:00:00.010",
                ["LlmProxy:Resilience:RetryMaxDelay"] = "00:00:00.050",
                ["LlmProxy:Resilience:CircuitBreaker:MinimumThroughput"] = "1000",
                ["Logging:LogLevel:Default"] = "Warning",
            })));

        Governance = Start(new LoopbackService<GovernanceOptions>("governance", new Dictionary<string, string?>
        {
            ["Governance:AdminApiKey"] = AdminKey,
            ["Governance:DevApiKey"] = DevKey,
            ["Governance:DataPath"] = Path.Combine(_root, "governance"),
            ["Governance:Tools:StdioCommands:0"] = Testing.Mcp.StdioMcpProgram.Path,
            ["Logging:LogLevel:Default"] = "Warning",
        }));

        var retrieval = Retrieval = Start(new LoopbackService<RetrievalOptions>("retrieval", ServiceSettings.Merge(inference.DiscoverySettings(), new()
        {
            ["Retrieval:DataPath"] = Path.Combine(_root, "retrieval"),
            ["Retrieval:LoadSampleKnowledgeBase"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        })));

        await CreateTenantAsync(TenantA, policy: null);
        await CreateTenantAsync(TenantB, policy: null);
        await CreateTenantAsync(LocalOnlyTenant, policy: new { pii_mode = "PII_MODE_LOCAL_ONLY" });
        await CreateTenantAsync(ThriftyTenant, policy: new { budgets = new[] { new { period = "day", limit_micros = 50 } } });
        await CreateTenantAsync(AuditedTenant, policy: null);
        await CreateTenantAsync(PinnedTenant, policy: new { overrides = new[] { new { intent = "translation", target = BackupModel } } });
        foreach (var tenant in new[] { RatedTenant, RatedReportTenant, ShadowedTenant, ShadowRateTenant, ShadowBudgetTenant, ShadowSlowTenant })
        {
            await CreateTenantAsync(tenant, policy: null);
        }

        await CreateTenantAsync(ShadowRedactTenant, policy: new { pii_mode = "PII_MODE_REDACT" });

        var emptyLlm = Start(new LoopbackService<LlmProxyOptions>("llm-proxy", new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }));

        var backends = ServiceSettings.Merge(inference.DiscoverySettings(), llm.DiscoverySettings(), retrieval.DiscoverySettings(), Governance.DiscoverySettings());

        // As local mode ships: no generative weights, so what the SLM tier does not answer goes to the LLM tier.
        Router = Start(new LoopbackService<RouterOptions>("router", ServiceSettings.Merge(backends, RouterSettings("router"), new()
        {
            ["Router:Slm:Generator"] = "none",
        })));

        // As a fresh local setup without the llm-endpoint parameter: llm-proxy has no model at all.
        NoLlmRouter = Start(new LoopbackService<RouterOptions>("router", ServiceSettings.Merge(
            inference.DiscoverySettings(), emptyLlm.DiscoverySettings(), retrieval.DiscoverySettings(), Governance.DiscoverySettings(),
            RouterSettings("no-llm-router"), new() { ["Router:Slm:Generator"] = "none" })));

        // Grounding every LLM answer in the tenant's "handbook" collection (a policy with a Retrieve action).
        RagRouter = Start(new LoopbackService<RouterOptions>("router", ServiceSettings.Merge(backends, RouterSettings("rag-router"), new()
        {
            ["Router:Slm:Generator"] = "none",
            ["Router:Policy:Rules:0:Name"] = "block-attacks",
            ["Router:Policy:Rules:0:When:guard_score"] = ">= $guard",
            ["Router:Policy:Rules:0:Then:Block"] = "prompt_injection",
            ["Router:Policy:Rules:1:Name"] = "ground",
            ["Router:Policy:Rules:1:Then:Retrieve"] = "handbook",
            ["Router:Policy:Rules:1:Then:Continue"] = "true",
            ["Router:Policy:Rules:2:Name"] = "llm",
            ["Router:Policy:Rules:2:Then:Route"] = "llm",
        })));

        // With a local generator whose answers are always unsure: the cascade escalates them.
        CascadeRouter = Start(new LoopbackService<RouterOptions>("router", ServiceSettings.Merge(backends, RouterSettings("cascade-router"), new()
        {
            ["Router:Slm:Generator"] = "tiny-unsure",
            ["Router:Slm:GeneratorMaxTokens"] = "24",
        })));

        ShadowRouter = Start(new LoopbackService<RouterOptions>("router", ServiceSettings.Merge(backends, RouterSettings("shadow-router"), new()
        {
            ["Router:Slm:Generator"] = "none",
            ["Router:Shadow:Enabled"] = "true",
            ["Router:Shadow:SampleRate"] = "0",
            ["Router:Shadow:QueueCapacity"] = "1",
            ["Router:Shadow:Concurrency"] = "1",
            ["Router:Shadow:Targets:0"] = PrimaryModel,
            ["Router:Shadow:Judge"] = BackupModel,
            ["Router:Shadow:MaxTokens"] = "16",
            ["Router:Shadow:ResultRetryDelay"] = "00:00:00.100",
            [$"Router:Shadow:Tenants:{ShadowedTenant}:SampleRate"] = "1",
            [$"Router:Shadow:Tenants:{ShadowRateTenant}:SampleRate"] = ShadowRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"Router:Shadow:Tenants:{ShadowBudgetTenant}:SampleRate"] = "1",
            [$"Router:Shadow:Tenants:{ShadowBudgetTenant}:DailyBudgetMicros"] = ShadowBudgetMicros.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"Router:Shadow:Tenants:{ShadowSlowTenant}:SampleRate"] = "1",
            [$"Router:Shadow:Tenants:{ShadowRedactTenant}:SampleRate"] = "1",
            [$"Router:Shadow:Tenants:{LocalOnlyTenant}:SampleRate"] = "1",
        })));

        // Retrieval reports Healthy once the sample knowledge base is loaded.
        await ServiceSettings.WaitUntilHealthyAsync(retrieval.HttpAddress, TimeSpan.FromMinutes(2));
    }

    /// <summary>An HTTP client for the router that acts as the edge for <paramref name="tenant"/>.</summary>
    public HttpClient RouterClient(string tenant = "dev", bool cascade = false)
    {
        var client = new HttpClient { BaseAddress = (cascade ? CascadeRouter : Router).HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("x-hybridai-tenant", tenant);
        return client;
    }

    /// <summary>An HTTP client for governance's admin API.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Governance.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            _services[i].Dispose();
        }

        await Primary.DisposeAsync();
        await Backup.DisposeAsync();
        await Redis.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A store still closing; the OS temp cleaner takes it.
        }
    }

    private T Start<T>(T service) where T : IDisposable
    {
        _services.Add(service);
        return service;
    }

    private async Task CreateTenantAsync(string id, object? policy)
    {
        using var admin = AdminClient();
        using (var created = await admin.PostAsJsonAsync("/admin/tenants", new { id, name = id }))
        {
            Assert.True(created.IsSuccessStatusCode, $"creating tenant {id}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        if (policy is not null)
        {
            using var put = await admin.PutAsJsonAsync($"/admin/tenants/{id}/policy", policy);
            Assert.True(put.IsSuccessStatusCode, $"policy of {id}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        }
    }

    private Dictionary<string, string?> RouterSettings(string name) => new()
    {
        // These tests are about the pipeline, not the guard head's boundary (its false-positive rate is measured in
        // docs/benchmarks.md): a random case number can move an ordinary prompt near 0.5, while the attacks used here
        // score above 0.99.
        ["Router:Policy:Thresholds:Guard"] = "0.9",
        ["ConnectionStrings:redis"] = Redis.ConnectionString,
        ["GovernanceClient:OutboxPath"] = Path.Combine(_root, name + "-outbox.db"),
        ["GovernanceClient:InitialRetryDelay"] = "00:00:00.050",
        ["Router:Tools:StdioCommands:0"] = Testing.Mcp.StdioMcpProgram.Path,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public static string LastUserMessage(RecordedRequest request)
    {
        var messages = request.Json.GetProperty("messages");
        return messages[messages.GetArrayLength() - 1].GetProperty("content").GetString() ?? "";
    }
}
