using System.Buffers;
using System.Text.Json;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Collections;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Faq;
using HybridAI.Retrieval.Ingestion;
using HybridAI.Retrieval.Search;
using HybridAI.Retrieval.Tenancy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval.Http;

/// <summary>
/// The retrieval HTTP API under <c>/v1/hybrid/collections</c> (the edge forwards it unchanged; docs/api.md), mirroring
/// <c>hybridai.retrieval.v1</c>. The tenant is the <c>x-hybridai-tenant</c> header the edge stamps; without it, 401.
/// </summary>
public static class RetrievalEndpoints
{
    public const string Prefix = "/v1/hybrid/collections";

    public static WebApplication MapRetrievalHttpApi(this WebApplication app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Prefix), branch => branch.UseMiddleware<HttpErrorMiddleware>());
        var group = app.MapGroup(Prefix);

        group.MapPost("", async (HttpContext c, CollectionService collections) =>
        {
            var tenant = TenantResolver.From(c);
            using var json = await ReadJsonAsync(c);
            var created = await collections.CreateAsync(tenant, HttpMapping.ToRequest(HttpJson.Bind<CreateCollectionBody>(json.RootElement, "")), c.RequestAborted);
            return HttpJson.Json(HttpMapping.View(created), StatusCodes.Status201Created);
        });
        group.MapGet("", async (HttpContext c, CollectionService collections) =>
        {
            var list = await collections.ListAsync(TenantResolver.From(c), c.RequestAborted);
            return HttpJson.Json(new CollectionsView([.. list.Collections.Select(HttpMapping.View)]));
        });
        group.MapGet("/{name}", async (string name, HttpContext c, CollectionService collections) =>
            HttpJson.Json(HttpMapping.View(await collections.GetAsync(TenantResolver.From(c), name, c.RequestAborted))));
        group.MapDelete("/{name}", async (string name, HttpContext c, CollectionService collections) =>
        {
            await collections.DeleteAsync(TenantResolver.From(c), name, c.RequestAborted);
            return HttpJson.Json(new DeletedCollectionView(true, name));
        });

        group.MapPost("/{name}/documents", IngestAsync);
        group.MapDelete("/{name}/documents/{id}", async (string name, string id, HttpContext c, IngestionService ingestion) =>
        {
            var deleted = await ingestion.DeleteAsync(TenantResolver.From(c), new DeleteDocumentRequest { Collection = name, DocumentId = id }, c.RequestAborted);
            return HttpJson.Json(new DeletedDocumentView(true, id, deleted.ChunksDeleted));
        });

        group.MapPost("/{name}/faqs", async (string name, HttpContext c, FaqService faqs) =>
        {
            var tenant = TenantResolver.From(c);
            using var json = await ReadJsonAsync(c);
            var bodies = json.RootElement.ValueKind == JsonValueKind.Array
                ? HttpJson.Bind<List<FaqBody>>(json.RootElement, "faqs")
                : HttpJson.Bind<FaqsBody>(json.RootElement, "").Faqs ?? [];
            var problems = new List<Problem>();
            var request = new UpsertFaqsRequest { Collection = name };
            request.Faqs.AddRange(bodies.Select((b, i) => HttpMapping.ToFaq(b, $"faqs[{i}]", problems)));
            ValidationFailedException.ThrowIfAny("The FAQ pairs", problems);
            var result = await faqs.UpsertAsync(tenant, request, c.RequestAborted);
            return HttpJson.Json(new FaqsView(result.Upserted, result.Unchanged));
        });

        group.MapPost("/{name}/search", async (string name, HttpContext c, SearchService search) =>
        {
            var tenant = TenantResolver.From(c);
            using var json = await ReadJsonAsync(c);
            var request = HttpMapping.ToRequest(name, HttpJson.Bind<SearchBody>(json.RootElement, ""));
            return HttpJson.Json(HttpMapping.View(await search.SearchAsync(tenant, request, c.RequestAborted)));
        });

        group.MapPost("/{name}/faq-match", async (string name, HttpContext c, FaqService faqs) =>
        {
            var tenant = TenantResolver.From(c);
            using var json = await ReadJsonAsync(c);
            var body = HttpJson.Bind<FaqMatchBody>(json.RootElement, "");
            var problems = new List<Problem>();
            var request = new MatchFaqRequest { Collection = name, Query = body.Query ?? "", MaxLabel = HttpMapping.Label(body.MaxLabel, "max_label", problems) };
            ValidationFailedException.ThrowIfAny("The FAQ match", problems);
            return HttpJson.Json(HttpMapping.View(await faqs.MatchAsync(tenant, request, c.RequestAborted)));
        });
        return app;
    }

    /// <summary>
    /// JSON (one document, or <c>{"documents": [...]}</c>) or multipart files. With <c>Accept: application/x-ndjson</c>
    /// progress streams as one JSON line per document; otherwise the answer lists every document when all are done.
    /// </summary>
    private static async Task IngestAsync(string name, HttpContext c, IngestionService ingestion, IOptions<RetrievalOptions> options)
    {
        var tenant = TenantResolver.From(c);
        AllowBody(c, options.Value.Limits.MaxRequestBytes);
        var request = new IngestRequest { Collection = name };
        if (c.Request.HasFormContentType)
        {
            request.Documents.AddRange(await DocumentUploads.ReadAsync(c.Request, options.Value.Limits, c.RequestAborted));
        }
        else
        {
            using var json = await HttpJson.ReadAsync(c.Request, options.Value.Limits.MaxRequestBytes, c.RequestAborted);
            var root = json.RootElement;
            var bodies = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("documents", out _)
                ? HttpJson.Bind<DocumentsBody>(root, "").Documents ?? []
                : [HttpJson.Bind<DocumentBody>(root, "")];
            var problems = new List<Problem>();
            request.Documents.AddRange(bodies.Select((b, i) => HttpMapping.ToDocument(b, bodies.Count == 1 ? "" : $"documents[{i}]", problems)));
            ValidationFailedException.ThrowIfAny(bodies.Count == 1 ? "The document" : "The documents", problems);
        }

        var stream = c.Request.Headers.Accept.Any(a => a?.Contains("application/x-ndjson", StringComparison.OrdinalIgnoreCase) == true);
        await using var progress = ingestion.IngestAsync(tenant, request, c.RequestAborted).GetAsyncEnumerator(c.RequestAborted);
        // The first step validates every document; its errors are answered as a whole before any progress is written.
        var hasFirst = await progress.MoveNextAsync();
        if (stream)
        {
            await StreamProgressAsync(c, progress, hasFirst);
            return;
        }

        var documents = new List<IngestedDocumentView>();
        var chunks = 0;
        for (var has = hasFirst; has; has = await progress.MoveNextAsync())
        {
            var p = progress.Current;
            if (p.Final)
            {
                chunks = p.Chunks;
            }
            else
            {
                documents.Add(new IngestedDocumentView(p.DocumentId, p.Status, p.Chunks, p.Error.Length == 0 ? null : p.Error));
            }
        }

        await HttpJson.Json(new IngestView(documents, chunks)).ExecuteAsync(c);
    }

    private static async Task StreamProgressAsync(HttpContext c, IAsyncEnumerator<IngestProgress> progress, bool has)
    {
        c.Response.ContentType = "application/x-ndjson";
        await using var writer = new Utf8JsonWriter(c.Response.BodyWriter, new JsonWriterOptions { Encoder = HttpJson.Options.Encoder });
        try
        {
            for (; has; has = await progress.MoveNextAsync())
            {
                var p = progress.Current;
                JsonSerializer.Serialize(writer, p.Final
                    ? new { status = p.Status, documents_done = p.DocumentsDone, documents_total = p.DocumentsTotal, chunks = p.Chunks }
                    : (object)new { id = p.DocumentId, status = p.Status, chunks = p.Chunks, error = p.Error.Length == 0 ? null : p.Error, documents_done = p.DocumentsDone, documents_total = p.DocumentsTotal },
                    HttpJson.Options);
                await FlushLineAsync(c, writer);
            }
        }
        catch (Exception e) when (RetrievalErrors.Http(e) is { } error)
        {
            // Headers are sent: the failure becomes the stream's last line.
            HttpErrorMiddleware.WriteError(writer, e.Message, error.Type, error.Code);
            await FlushLineAsync(c, writer);
        }
    }

    private static async Task FlushLineAsync(HttpContext c, Utf8JsonWriter writer)
    {
        await writer.FlushAsync(c.RequestAborted);
        writer.Reset();
        c.Response.BodyWriter.Write("\n"u8);
        await c.Response.BodyWriter.FlushAsync(c.RequestAborted);
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpContext c)
    {
        var limits = c.RequestServices.GetRequiredService<IOptions<RetrievalOptions>>().Value.Limits;
        return await HttpJson.ReadAsync(c.Request, limits.MaxRequestBytes, c.RequestAborted);
    }

    /// <summary>Raises Kestrel's body limit (30 MB by default) to Retrieval:Limits:MaxRequestBytes for uploads.</summary>
    private static void AllowBody(HttpContext c, long limit)
    {
        if (c.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
    }
}
