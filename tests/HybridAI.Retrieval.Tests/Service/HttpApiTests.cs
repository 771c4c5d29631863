using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace HybridAI.Retrieval.Tests.Service;

/// <summary>The HTTP API as the edge forwards it: collections, documents (JSON and multipart), FAQs, search, errors.</summary>
public sealed class HttpApiTests(InferenceServer inference) : IDisposable
{
    private readonly RetrievalHost _host = new(inference);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreatesListsGetsAndDeletesCollections()
    {
        using var http = _host.Http("acme");
        var created = await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "handbook", kind = "documents" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await RetrievalHost.JsonAsync(created);
        Assert.Equal("handbook", body.GetProperty("name").GetString());
        Assert.Equal("documents", body.GetProperty("kind").GetString());
        Assert.Equal(384, body.GetProperty("dimensions").GetInt32());
        Assert.Equal("all-MiniLM-L6-v2", body.GetProperty("embedding_model").GetString());

        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "help", kind = "faq", faq_threshold = 0.7 }, Ct)).StatusCode);
        var list = await RetrievalHost.JsonAsync(await http.GetAsync(new Uri("/v1/hybrid/collections", UriKind.Relative), Ct));
        Assert.Equal(["handbook", "help"], list.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));
        var help = await RetrievalHost.JsonAsync(await http.GetAsync(new Uri("/v1/hybrid/collections/help", UriKind.Relative), Ct));
        Assert.Equal(0.7, help.GetProperty("faq_threshold").GetDouble());

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(new Uri("/v1/hybrid/collections/handbook", UriKind.Relative), Ct)).StatusCode);
        var missing = await http.DeleteAsync(new Uri("/v1/hybrid/collections/handbook", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("collection_not_found", (await RetrievalHost.JsonAsync(missing)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task BadCollectionRequestsNameEveryProblem()
    {
        using var http = _host.Http("acme");
        var bad = await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "Bad Name!", kind = "videos" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = (await RetrievalHost.JsonAsync(bad)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("kind", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var unknownField = await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "ok", colour = "blue" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Contains("colour", await unknownField.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "twice" }, Ct)).StatusCode);
        var twice = await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "twice" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("collection_exists", (await RetrievalHost.JsonAsync(twice)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RequestsWithoutTheEdgesTenantHeaderAreUnauthorized()
    {
        using var http = _host.Factory.CreateClient();
        var response = await http.GetAsync(new Uri("/v1/hybrid/collections", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await RetrievalHost.JsonAsync(response)).GetProperty("error");
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal("missing_tenant", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task IngestsJsonDocumentsAndSearchReturnsCitations()
    {
        using var http = _host.Http("acme");
        await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "policies" }, Ct);
        var markdown = "# Travel policy\n\n## Flights\n\nEconomy class for flights under six hours. Business class needs a director's approval.\n\n## Hotels\n\nHotels up to 180 euros a night in capital cities.";
        var ingest = await http.PostAsJsonAsync("/v1/hybrid/collections/policies/documents",
            new { id = "travel", markdown, label = "internal", metadata = new Dictionary<string, string> { ["team"] = "finance" } }, Ct);
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        var documents = (await RetrievalHost.JsonAsync(ingest)).GetProperty("documents");
        Assert.Equal("indexed", documents[0].GetProperty("status").GetString());

        var search = await http.PostAsJsonAsync("/v1/hybrid/collections/policies/search", new { query = "how much can I spend on a hotel room?", top_k = 3 }, Ct);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var body = await RetrievalHost.JsonAsync(search);
        var top = body.GetProperty("results")[0];
        Assert.Equal("travel", top.GetProperty("document_id").GetString());
        Assert.Equal("internal", top.GetProperty("label").GetString());
        Assert.Equal("internal", body.GetProperty("highest_label").GetString());
        Assert.Contains("180 euros", top.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Hotels", top.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(top.GetProperty("end").GetInt32() > top.GetProperty("start").GetInt32());
        Assert.StartsWith("travel#", top.GetProperty("chunk_id").GetString(), StringComparison.Ordinal);
        Assert.True(top.GetProperty("score").GetDouble() > 0);
        Assert.Equal("finance", top.GetProperty("metadata").GetProperty("team").GetString());
    }

    [Fact]
    public async Task UploadsDocxAndHtmlFilesAsMultipart()
    {
        using var http = _host.Http("acme");
        await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "files" }, Ct);
        using var form = new MultipartFormDataContent
        {
            { File(Docs.Docx(("Heading1", "Expense rules"), ("Normal", "Taxis are reimbursed after 22:00 with a receipt.")), Docs.DocxType), "file", "expenses.docx" },
            { File(Encoding.UTF8.GetBytes("<html><body><nav>Home | About</nav><main><h1>Parking</h1><p>Staff park on level minus two.</p></main><footer>© 2026</footer></body></html>"), "text/html"), "file", "parking.html" },
            { new StringContent("confidential"), "label" },
        };
        var response = await http.PostAsync(new Uri("/v1/hybrid/collections/files/documents", UriKind.Relative), form, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = (await RetrievalHost.JsonAsync(response)).GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Equal(["expenses.docx", "parking.html"], ids);

        var taxi = await RetrievalHost.JsonAsync(await http.PostAsJsonAsync("/v1/hybrid/collections/files/search", new { query = "late night taxi reimbursement", top_k = 1 }, Ct));
        Assert.Equal("expenses.docx", taxi.GetProperty("results")[0].GetProperty("document_id").GetString());
        Assert.Equal("confidential", taxi.GetProperty("results")[0].GetProperty("label").GetString());
        var parking = await RetrievalHost.JsonAsync(await http.PostAsJsonAsync("/v1/hybrid/collections/files/search", new { query = "where do employees park", top_k = 5 }, Ct));
        var text = string.Join(" ", parking.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("text").GetString()));
        Assert.Contains("level minus two", text, StringComparison.Ordinal);
        Assert.DoesNotContain("About", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadDocumentsAreRefusedWithTheRightStatusAndNothingIsStored()
    {
        using var http = _host.Http("acme");
        await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "strict" }, Ct);
        using var form = new MultipartFormDataContent { { File([1, 2, 3], "application/pdf"), "file", "report.pdf" } };
        var pdf = await http.PostAsync(new Uri("/v1/hybrid/collections/strict/documents", UriKind.Relative), form, Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, pdf.StatusCode);
        Assert.Contains("'.pdf'", await pdf.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var empty = await http.PostAsJsonAsync("/v1/hybrid/collections/strict/documents", new { id = "blank", text = "   " }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        var label = await http.PostAsJsonAsync("/v1/hybrid/collections/strict/documents",
            new { documents = new object[] { new { id = "good", text = "A fine document." }, new { id = "bad", text = "Another.", label = "top-secret" } } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, label.StatusCode);
        Assert.Contains("documents[1].label", await label.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var unknown = await http.PostAsJsonAsync("/v1/hybrid/collections/nope/documents", new { id = "x", text = "Some text." }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var collection = await RetrievalHost.JsonAsync(await http.GetAsync(new Uri("/v1/hybrid/collections/strict", UriKind.Relative), Ct));
        Assert.Equal(0, collection.GetProperty("document_count").GetInt64());

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/v1/hybrid/collections/strict/documents", new { id = "kept", text = "Kept for a moment." }, Ct)).StatusCode);
        var deleted = await RetrievalHost.JsonAsync(await http.DeleteAsync(new Uri("/v1/hybrid/collections/strict/documents/kept", UriKind.Relative), Ct));
        Assert.Equal(("kept", 1), (deleted.GetProperty("id").GetString(), deleted.GetProperty("chunks_deleted").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync(new Uri("/v1/hybrid/collections/strict/documents/kept", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task OversizedDocumentsAndTopKAreRefused()
    {
        using var host = new RetrievalHost(inference, new Dictionary<string, string?> { ["Retrieval:Limits:MaxDocumentBytes"] = "1000", ["Retrieval:Search:MaxTopK"] = "10" });
        using var http = host.Http("acme");
        await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "small" }, Ct);
        var big = await http.PostAsJsonAsync("/v1/hybrid/collections/small/documents", new { id = "big", text = new string('a', 2000) }, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Contains("MaxDocumentBytes", await big.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var topK = await http.PostAsJsonAsync("/v1/hybrid/collections/small/search", new { query = "anything", top_k = 11 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, topK.StatusCode);
        Assert.Contains("top_k", await topK.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamsIngestionProgressAsJsonLines()
    {
        using var http = _host.Http("acme");
        await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "stream" }, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/hybrid/collections/stream/documents", UriKind.Relative))
        {
            Content = JsonContent.Create(new { documents = Enumerable.Range(0, 5).Select(i => new { id = $"d{i}", text = $"Document number {i} about topic {i}." }) }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        var response = await http.SendAsync(request, Ct);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(6, lines.Count);
        Assert.All(lines.Take(5), l => Assert.Equal("indexed", l.GetProperty("status").GetString()));
        Assert.Equal("completed", lines[^1].GetProperty("status").GetString());
        Assert.Equal(5, lines[^1].GetProperty("documents_done").GetInt32());
    }

    [Fact]
    public async Task UpsertsFaqsAndMatchesParaphrasedQuestions()
    {
        using var http = _host.Http("acme");
        await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "faq", kind = "faq" }, Ct);
        var upsert = await http.PostAsJsonAsync("/v1/hybrid/collections/faq/faqs", new[]
        {
            new { id = "reset", question = "How do I reset my password?", answer = "Use Forgot password on the sign-in page.", label = "public" },
            new { id = "hours", question = "What are your opening hours?", answer = "9 to 5 on weekdays.", label = "public" },
        }, Ct);
        Assert.Equal(2, (await RetrievalHost.JsonAsync(upsert)).GetProperty("upserted").GetInt32());

        var match = await RetrievalHost.JsonAsync(await http.PostAsJsonAsync("/v1/hybrid/collections/faq/faq-match", new { query = "I forgot my password, how can I change it?" }, Ct));
        Assert.Equal("reset", match.GetProperty("match").GetProperty("id").GetString());
        Assert.InRange(match.GetProperty("match").GetProperty("score").GetDouble(), 0.5, 1.0);

        var none = await RetrievalHost.JsonAsync(await http.PostAsJsonAsync("/v1/hybrid/collections/faq/faq-match", new { query = "What is the boiling point of tungsten?" }, Ct));
        Assert.Equal(JsonValueKind.Null, none.GetProperty("match").ValueKind);

        var again = await RetrievalHost.JsonAsync(await http.PostAsJsonAsync("/v1/hybrid/collections/faq/faqs",
            new { faqs = new[] { new { id = "reset", question = "How do I reset my password?", answer = "Use Forgot password on the sign-in page.", label = "public" } } }, Ct));
        Assert.Equal(1, again.GetProperty("unchanged").GetInt32());

        await http.PostAsJsonAsync("/v1/hybrid/collections", new { name = "notes" }, Ct);
        var wrongKind = await http.PostAsJsonAsync("/v1/hybrid/collections/notes/faq-match", new { query = "hello" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, wrongKind.StatusCode);
    }

    private static ByteArrayContent File(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    public void Dispose() => _host.Dispose();
}
