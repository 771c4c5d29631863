using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Signals;

namespace HybridAI.Router.Policy;

/// <summary>Everything a rule may look at for one request.</summary>
public sealed class PolicyInput
{
    private Task<FaqLookup?>? _faq;

    public required RequestSignals Signals { get; init; }

    public required TenantPolicy Tenant { get; init; }

    /// <summary>The model the request asked for: a virtual model or a catalogue id.</summary>
    public required string Model { get; init; }

    /// <summary>slm-inference has a generator the router may use.</summary>
    public required bool GeneratorAvailable { get; init; }

    /// <summary>The tenant's policy allows the SLM tier (<c>slm</c> among its allowed targets, or no list).</summary>
    public required bool SlmAllowed { get; init; }

    /// <summary>The request declares tools (only the LLM tier can call them).</summary>
    public required bool HasTools { get; init; }

    public RoutingConstraints? Constraints { get; init; }

    /// <summary>The thresholds in force (the tenant's over the configured ones); null: the compiled policy's.</summary>
    public AppliedThresholds? Thresholds { get; init; }

    /// <summary>Looks up the best FAQ match; called at most once per request, only when a rule needs it.</summary>
    public Func<CancellationToken, Task<FaqLookup?>>? FaqLookup { get; init; }

    /// <summary>The memoised FAQ match (null: no match above the collection's threshold, or no lookup possible).</summary>
    public Task<FaqLookup?> FaqAsync(CancellationToken cancellationToken) =>
        _faq ??= FaqLookup is null ? Task.FromResult<FaqLookup?>(null) : FaqLookup(cancellationToken);

    /// <summary>The FAQ match, if a rule already looked it up.</summary>
    public FaqLookup? FaqIfLookedUp => _faq is { IsCompletedSuccessfully: true } t ? t.Result : null;

    public string PiiMode => Tenant.PiiMode switch
    {
        Contracts.Governance.V1.PiiMode.LocalOnly => "local_only",
        Contracts.Governance.V1.PiiMode.Block => "block",
        _ => "redact",
    };
}

/// <summary>The best FAQ pair for a request, from one of the tenant's FAQ collections.</summary>
public sealed record FaqLookup(Contracts.Retrieval.V1.FaqMatch Match, string Collection);
