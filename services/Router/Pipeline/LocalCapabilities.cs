using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Governance.Client.Policies;
using HybridAI.Router.Catalogue;
using HybridAI.Router.Errors;
using HybridAI.Router.Policy;
using HybridAI.Router.Privacy;
using HybridAI.Router.Signals;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Pipeline;

/// <summary>
/// The SLM tier's direct capabilities, shared by the HTTP and gRPC APIs: classification with a named head, PII and entity
/// extraction (in-process), embeddings with a local encoder, and the model list a tenant may use.
/// </summary>
public sealed class LocalCapabilities(
    InferenceService.InferenceServiceClient inference, IPiiScanner scanner, IRedactionFactory redactions, TargetCatalogue catalogue,
    TenantPolicyCache tenants, IOptions<RouterOptions> options)
{
    /// <summary>The most texts one embeddings call takes (slm-inference's own limit).</summary>
    public const int MaxEmbeddingTexts = 256;

    public async Task<HeadResult> ClassifyAsync(string head, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw RoutingException.Invalid("text", "must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(head))
        {
            throw RoutingException.Invalid("head", "is required (e.g. intent, needs-llm, guard, or a tenant's own head).");
        }

        try
        {
            var response = await inference.ClassifyAsync(new ClassifyRequest { Heads = { head }, Texts = { text } },
                deadline: DateTime.UtcNow.Add(options.Value.SlmTimeout), cancellationToken: cancellationToken);
            return response.Results[0].Heads[0];
        }
        catch (RpcException e)
        {
            throw Translate(e, "head", head);
        }
    }

    public (IReadOnlyList<PiiFinding> Findings, DataClass DataClass, string? Redacted) Extract(string text, bool redact)
    {
        var found = scanner.Detect(text);
        var dataClass = DataClass.Public;
        var findings = new List<PiiFinding>(found.Count);
        foreach (var f in found)
        {
            dataClass = scanner.IsConfident(f) ? DataClasses.Max(dataClass, scanner.ClassOf(f.Type)) : dataClass;
            findings.Add(new PiiFinding { Type = f.Type, Start = f.Start, End = f.End, Score = f.Score });
        }

        string? redacted = null;
        if (redact)
        {
            var placeholders = new List<string>();
            redacted = redactions.Begin().Redact(text, found, placeholders);
            for (var i = 0; i < findings.Count && i < placeholders.Count; i++)
            {
                findings[i].Placeholder = placeholders[i];
            }
        }

        return (findings, dataClass, redacted);
    }

    public async Task<EmbedResponse> EmbedAsync(string model, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            throw RoutingException.Invalid("input", "must contain at least one text.");
        }

        if (texts.Count > MaxEmbeddingTexts)
        {
            throw RoutingException.Invalid("input", $"takes at most {MaxEmbeddingTexts} texts per request, but has {texts.Count}.");
        }

        for (var i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(texts[i]))
            {
                throw RoutingException.Invalid($"input[{i}]", "must not be empty.");
            }
        }

        try
        {
            return await inference.EmbedAsync(new EmbedRequest { Model = model, Texts = { texts } },
                deadline: DateTime.UtcNow.Add(options.Value.SlmTimeout), cancellationToken: cancellationToken);
        }
        catch (RpcException e)
        {
            throw Translate(e, "model", model);
        }
    }

    /// <summary>The virtual models, then the catalogue entries the tenant's policy allows, then the local encoders.</summary>
    public async Task<IReadOnlyList<ListedModel>> ModelsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var models = new List<ListedModel>();
        models.AddRange(VirtualModels.All.Select(v => new ListedModel(v.Id, "virtual", "hybridai", v.Description, true)));
        TenantPolicy policy;
        CatalogueSnapshot snapshot;
        try
        {
            policy = await tenants.GetAsync(tenantId, cancellationToken);
            snapshot = await catalogue.GetAsync(cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw RoutingException.Unavailable("catalogue_unavailable", $"The model list could not be read ({e.StatusCode}: {e.Status.Detail}).", TimeSpan.FromSeconds(1), e);
        }

        foreach (var m in snapshot.Models)
        {
            if (policy.AllowedTargets.Count == 0 || policy.AllowedTargets.Contains(m.Id))
            {
                models.Add(new ListedModel(m.Id, "llm", m.Provider, $"{m.Provider} {m.UpstreamModel}", m.Local));
            }
        }

        try
        {
            var local = await inference.ListModelsAsync(new ListModelsRequest(), deadline: DateTime.UtcNow.Add(options.Value.SlmTimeout),
                cancellationToken: cancellationToken);
            models.AddRange(local.Models.Where(m => m.Kind == ModelKind.Encoder)
                .Select(m => new ListedModel(m.Name, "embedding", "hybridai", $"local encoder, {m.Dimensions} dimensions ({m.ExecutionProvider})", true)));
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            // The embedding models are listed when slm-inference answers; the rest of the list stands without them.
        }

        return models;
    }

    private static RoutingException Translate(RpcException e, string field, string name) => e.StatusCode switch
    {
        StatusCode.NotFound => new RoutingException(FailureKind.NotFound, field == "head" ? "head_not_found" : "model_not_found", e.Status.Detail, field),
        StatusCode.InvalidArgument => new RoutingException(FailureKind.InvalidArgument, "invalid_request", e.Status.Detail, field),
        StatusCode.ResourceExhausted => new RoutingException(FailureKind.Exhausted, "slm_busy", e.Status.Detail) { RetryAfter = TimeSpan.FromSeconds(1) },
        StatusCode.DeadlineExceeded => new RoutingException(FailureKind.Timeout, "slm_timeout", $"slm-inference did not answer in time for '{name}'."),
        StatusCode.Cancelled => new RoutingException(FailureKind.Cancelled, "cancelled", "The caller went away."),
        _ => RoutingException.Unavailable("slm_unavailable", $"slm-inference failed: {e.StatusCode} ({e.Status.Detail}).", TimeSpan.FromSeconds(1), e),
    };
}

/// <summary>A model as <c>/v1/models</c> and <c>ListModels</c> show it.</summary>
public sealed record ListedModel(string Id, string Kind, string OwnedBy, string Description, bool Local);
