using System.Net.Http.Json;
using System.Text.Json;

namespace HybridAI.Router.Tests.Suite;

/// <summary>The router's non-chat endpoints: models, embeddings, classification, extraction, explanation.</summary>
public sealed class LocalEndpointTests(HybridSuite suite) : IDisposable
{
    private readonly HttpClient _http = suite.RouterClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task ModelsListTheVirtualModelsTheCatalogueAndTheEncoder()
    {
        var models = await GetAsync("/v1/models");

        var ids = models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("hybrid-auto", ids);
        Assert.Contains("hybrid-slm", ids);
        Assert.Contains("hybrid-llm", ids);
        Assert.Contains(HybridSuite.PrimaryModel, ids);
        Assert.Contains(HybridSuite.BackupModel, ids);
        Assert.Contains("all-MiniLM-L6-v2", ids);
    }

    [Fact]
    public async Task EmbeddingsAreNormalisedMiniLmVectors()
    {
        var response = await PostAsync("/v1/embeddings", new { model = "all-MiniLM-L6-v2", input = new[] { "hello world", "routing" } });

        var data = response.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        var vector = data[0].GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(384, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * v)), 3);
    }

    [Fact]
    public async Task ClassifyNamesTheLabelOfAHead()
    {
        var response = await PostAsync("/v1/hybrid/classify", new { text = "Translate 'good morning' into French", head = "intent" });

        Assert.Equal("translation", response.GetProperty("label").GetString());
        Assert.InRange(response.GetProperty("confidence").GetDouble(), 0.5, 1.0);
    }

    [Fact]
    public async Task ClassifyWithAnUnknownHeadIsAClearOpenAiError()
    {
        using var response = await _http.PostAsJsonAsync("/v1/hybrid/classify", new { text = "x", head = "horoscope" }, Ct);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");

        Assert.InRange((int)response.StatusCode, 400, 404);
        Assert.Contains("horoscope", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtractFindsAndRedactsPii()
    {
        var response = await PostAsync("/v1/hybrid/extract", new { text = "Mail jane.doe@example.com about card 4111 1111 1111 1111.", redact = true });

        var types = response.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("type").GetString()).ToList();
        Assert.Contains("EMAIL", types);
        Assert.Contains("CREDIT_CARD", types);
        Assert.Equal("restricted", response.GetProperty("data_class").GetString());
        var redacted = response.GetProperty("redacted_text").GetString()!;
        Assert.DoesNotContain("jane.doe", redacted, StringComparison.Ordinal);
        Assert.Contains("<EMAIL_1>", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainShowsSignalsAndDecisionWithoutCallingAnyModel()
    {
        var marker = Routed.Marker();
        var explained = await Routed.PostAsync(_http, $"{marker} Design a sharding strategy for a multi-tenant Postgres database.", path: "/v1/hybrid/explain");

        Assert.Equal(200, explained.Status);
        Assert.Equal("llm", explained.Route);
        var signals = explained.Json.GetProperty("signals");
        Assert.False(string.IsNullOrEmpty(signals.GetProperty("intent").GetString()));
        Assert.InRange(signals.GetProperty("needs_llm_probability").GetDouble(), 0, 1);
        Assert.InRange(signals.GetProperty("guard_score").GetDouble(), 0, 1);
        Assert.Equal("public", signals.GetProperty("data_class").GetString());
        Assert.True(explained.Json.GetProperty("reserve_cost_usd").GetDecimal() > 0);
        Assert.DoesNotContain(suite.Primary.Requests.Concat(suite.Backup.Requests), r => r.Body.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MalformedJsonIsABadRequestInOpenAiShape()
    {
        using var content = new StringContent("{\"model\": \"hybrid-auto\", \"messages\": [", System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), content, Ct);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task InvalidUnicodeInAMessageIsABadRequestNamingTheField()
    {
        using var content = new StringContent("{\"messages\": [{\"role\": \"user\", \"content\": \"broken \\ud800 text\"}]}", System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), content, Ct);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("messages[0].content", error.GetProperty("param").GetString());
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<JsonElement> PostAsync(string path, object payload)
    {
        using var response = await _http.PostAsJsonAsync(path, payload, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
