using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy.Resilience;

namespace HybridAI.LlmProxy.Catalogue;

/// <summary>
/// The catalogue as <c>ListModels</c> shows it: prices in micro-dollars, the endpoint without credentials or query,
/// the live circuit state, and never a key.
/// </summary>
public sealed class CatalogueView(ModelCatalogue catalogue, TargetPipelines pipelines)
{
    public ListModelsResponse List()
    {
        var response = new ListModelsResponse();
        foreach (var e in catalogue.Entries)
        {
            var model = new CatalogueModel
            {
                Id = e.Id,
                Provider = e.Provider,
                UpstreamModel = e.UpstreamModel,
                Endpoint = PublicEndpoint(e.Endpoint),
                Price = new ModelPrice
                {
                    InputPerMtokMicros = e.Prices.InputPerMTokMicros,
                    CachedInputPerMtokMicros = e.Prices.CachedInputPerMTokMicros,
                    OutputPerMtokMicros = e.Prices.OutputPerMTokMicros,
                },
                ContextWindow = e.ContextWindow,
                MaxOutputTokens = e.MaxOutputTokens,
                Region = e.Region,
                Local = e.Local,
                CircuitState = pipelines.For(e).CircuitState,
                Tokenizer = e.Tokenizer,
            };
            model.Capabilities.AddRange(e.Capabilities);
            response.Models.Add(model);
        }

        return response;
    }

    /// <summary>Scheme, host, port and path only: validation refuses credentials in URLs, and this never shows them.</summary>
    internal static string PublicEndpoint(Uri endpoint) => endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
}
