using System.ComponentModel.DataAnnotations;
using HybridAI.Router.Policy;
using HybridAI.Router.Shadow;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Router;

/// <summary>Router settings (section <c>Router</c>). <see cref="Policy"/> is also watched and hot-reloaded.</summary>
public sealed class RouterOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Router";

    /// <summary>Deadline for a call to slm-inference (classification, embedding, a local answer).</summary>
    public TimeSpan SlmTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline for a whole LLM call through llm-proxy, streams included. LLM answers can take minutes.</summary>
    public TimeSpan LlmTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Deadline for control-plane calls to governance (policies, budgets).</summary>
    public TimeSpan GovernanceTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline for a retrieval call (FAQ match, search).</summary>
    public TimeSpan RetrievalTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The model used when a request names none.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DefaultModel { get; set; } = "hybrid-auto";

    /// <summary>Routed requests (chat, explain) executing at once; more wait in a queue of <see cref="MaxQueuedRequests"/>.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentRequests { get; set; } = 512;

    /// <summary>Requests waiting for a slot; beyond it a request is refused at once (429 / RESOURCE_EXHAUSTED).</summary>
    [Range(0, 1_000_000)]
    public int MaxQueuedRequests { get; set; } = 2048;

    /// <summary>Largest HTTP request body (chat completions with long documents fit; anything larger gets 413).</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How often llm-proxy's and slm-inference's model lists are re-read.</summary>
    public TimeSpan CatalogueRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The catalogue id whose prices define the all-LLM baseline cost of every request (savings). Empty: the first
    /// external target of the request's chain, else the first external model of the catalogue.
    /// </summary>
    public string BaselineModel { get; set; } = "";

    public SignalOptions Signals { get; set; } = new();

    public SlmOptions Slm { get; set; } = new();

    public CascadeOptions Cascade { get; set; } = new();

    public CacheOptions Cache { get; set; } = new();

    public BudgetOptions Budget { get; set; } = new();

    public RetrievalAugmentationOptions Retrieval { get; set; } = new();

    public ReceiptOptions Receipts { get; set; } = new();

    public ShadowOptions Shadow { get; set; } = new();

    /// <summary>The routing policy (section <c>Router:Policy</c>): validated at start, then hot-reloaded.</summary>
    public PolicyOptions Policy { get; set; } = new();

    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var (key, value) in new[]
        {
            (nameof(SlmTimeout), SlmTimeout), (nameof(LlmTimeout), LlmTimeout),
            (nameof(GovernanceTimeout), GovernanceTimeout), (nameof(RetrievalTimeout), RetrievalTimeout),
            (nameof(CatalogueRefresh), CatalogueRefresh),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return (key, $"must be a positive duration (hh:mm:ss), but is {value}.");
            }
        }

        foreach (var problem in Cache.Validate())
        {
            yield return ($"{nameof(Cache)}:{problem.Key}", problem.Message);
        }

        foreach (var problem in Budget.Validate(LlmTimeout))
        {
            yield return ($"{nameof(Budget)}:{problem.Key}", problem.Message);
        }

        foreach (var problem in Receipts.Validate())
        {
            yield return ($"{nameof(Receipts)}:{problem.Key}", problem.Message);
        }

        foreach (var problem in Shadow.Validate())
        {
            yield return ($"{nameof(Shadow)}:{problem.Key}", problem.Message);
        }

        foreach (var problem in PolicyCompiler.Compile(Policy).Problems)
        {
            yield return ($"{nameof(Policy)}:{problem.Key}", problem.Message);
        }
    }
}
