using System.Text.Json;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Collections;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Faq;
using HybridAI.Retrieval.Http;
using HybridAI.Retrieval.Ingestion;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval.Sample;

/// <summary>
/// Loads the shipped sample knowledge base (a fictional company's FAQ and policy documents, Sample/KnowledgeBase) into
/// the sample tenant's <c>faq</c> and <c>docs</c> collections at start when <c>Retrieval:LoadSampleKnowledgeBase</c> is
/// true. Idempotent: unchanged pairs and documents are recognised by hash and not re-embedded. While slm-inference is
/// unreachable it retries every two seconds; the <c>sample-knowledge-base</c> check is unhealthy until it has loaded.
/// </summary>
public sealed class SampleKnowledgeBaseLoader(IOptions<RetrievalOptions> options, CollectionService collections, IngestionService ingestion, FaqService faqs,
    ILogger<SampleKnowledgeBaseLoader> logger) : BackgroundService
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Sample", "KnowledgeBase");

    /// <summary>Null while loading; true once loaded (or when loading is off).</summary>
    public bool? Loaded { get; private set; }

    public string? LastError { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.LoadSampleKnowledgeBase)
        {
            Loaded = true;
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await LoadAsync(stoppingToken);
                Loaded = true;
                return;
            }
            catch (DependencyUnavailableException e)
            {
                LastError = e.Message;
                logger.LogWarning("The sample knowledge base is not loaded yet: {Reason}. Retrying in 2 s.", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>Creates the collections when missing and upserts the FAQ pairs and documents.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var tenant = options.Value.SampleTenant;
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Folder, "manifest.json"), cancellationToken));
        var faq = manifest.RootElement.GetProperty("faq");
        var docs = manifest.RootElement.GetProperty("documents");
        var faqCollection = faq.GetProperty("collection").GetString()!;
        var docsCollection = docs.GetProperty("collection").GetString()!;
        await EnsureAsync(tenant, faqCollection, CollectionKind.Faq, cancellationToken);
        await EnsureAsync(tenant, docsCollection, CollectionKind.Documents, cancellationToken);

        var bodies = JsonSerializer.Deserialize<List<FaqBody>>(await File.ReadAllBytesAsync(Path.Combine(Folder, faq.GetProperty("file").GetString()!), cancellationToken), HttpJson.Options)!;
        var problems = new List<Problem>();
        var upsert = new UpsertFaqsRequest { Collection = faqCollection };
        upsert.Faqs.AddRange(bodies.Select((b, i) => HttpMapping.ToFaq(b, $"faqs[{i}]", problems)));
        ValidationFailedException.ThrowIfAny("The sample FAQ", problems);
        var faqResult = await faqs.UpsertAsync(tenant, upsert, cancellationToken);

        var ingest = new IngestRequest { Collection = docsCollection };
        foreach (var file in docs.GetProperty("files").EnumerateArray())
        {
            var path = file.GetProperty("file").GetString()!;
            ingest.Documents.Add(new Document
            {
                Id = file.GetProperty("id").GetString()!,
                Format = Contracts.Retrieval.V1.DocumentFormat.Markdown,
                Text = await File.ReadAllTextAsync(Path.Combine(Folder, path), cancellationToken),
                Label = HttpMapping.Label(file.GetProperty("label").GetString(), path, problems),
                FileName = Path.GetFileName(path),
            });
        }

        ValidationFailedException.ThrowIfAny("The sample knowledge base manifest", problems);
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var progress in ingestion.IngestAsync(tenant, ingest, cancellationToken))
        {
            if (!progress.Final)
            {
                statuses[progress.Status] = statuses.GetValueOrDefault(progress.Status) + 1;
            }
        }

        logger.LogInformation("Sample knowledge base loaded for tenant {Tenant}: {Faqs} FAQ pairs stored, {Unchanged} unchanged; documents {Documents}.",
            tenant, faqResult.Upserted, faqResult.Unchanged, string.Join(", ", statuses.Select(s => $"{s.Value} {s.Key}")));
    }

    private async Task EnsureAsync(string tenant, string name, CollectionKind kind, CancellationToken cancellationToken)
    {
        try
        {
            await collections.CreateAsync(tenant, new CreateCollectionRequest { Name = name, Kind = kind }, cancellationToken);
        }
        catch (AlreadyExistsException)
        {
            // Loaded before: the upserts below skip what is unchanged.
        }
    }
}
