using HybridAI.LlmProxy.Catalogue;
using HybridAI.Tokens;

namespace HybridAI.LlmProxy.Tokens;

/// <summary>Loads the catalogue's tokenizers at start, so the first request does not pay for it.</summary>
/// <remarks>
/// The catalogue is resolved when the service runs, not when it is constructed: hosted services are built before the
/// host validates options, and invalid options must fail start-up with the validator's message, nothing else.
/// </remarks>
internal sealed class TokenizerWarmup(IServiceProvider services, TokenCounter tokens) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        var catalogue = services.GetRequiredService<ModelCatalogue>();
        foreach (var encoding in catalogue.Entries.Select(e => e.Tokenizer).Distinct(StringComparer.Ordinal))
        {
            stoppingToken.ThrowIfCancellationRequested();
            tokens.Get(encoding);
        }
    }, stoppingToken);
}
