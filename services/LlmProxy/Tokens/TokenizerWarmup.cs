using HybridAI.LlmProxy.Catalogue;

namespace HybridAI.LlmProxy.Tokens;

/// <summary>Loads the catalogue's tokenizers at start, so the first request does not pay for it.</summary>
internal sealed class TokenizerWarmup(ModelCatalogue catalogue, TokenCounter tokens) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        foreach (var encoding in catalogue.Entries.Select(e => e.Tokenizer).Distinct(StringComparer.Ordinal))
        {
            stoppingToken.ThrowIfCancellationRequested();
            tokens.Get(encoding);
        }
    }, stoppingToken);
}
