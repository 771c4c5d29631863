using System.Net.Http.Json;
using System.Text.Json;

namespace HybridAI.Router.Tests.Suite;

/// <summary>One chat completion through the router over HTTP: the response, its JSON and the decision headers.</summary>
public sealed record Routed(int Status, JsonElement Json, IReadOnlyDictionary<string, string> Headers)
{
    public string Route => Header("x-hybridai-route");

    public string Model => Header("x-hybridai-model");

    public string Reason => Header("x-hybridai-reason");

    public string DataClass => Header("x-hybridai-data-class");

    public JsonElement Decision => Json.GetProperty("hybridai");

    public string Content => Json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString() ?? "";

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    /// <summary>
    /// A unique marker for one test's prompts, so upstream records and cache entries are the test's own. It reads like
    /// a case number a user would write: random identifiers in brackets can move the guard's score.
    /// </summary>
    public static string Marker() => $"Case {Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}.";

    public static object Body(string prompt, string model = "hybrid-auto") =>
        new { model, messages = new[] { new { role = "user", content = prompt } } };

    public static async Task<Routed> PostAsync(HttpClient http, string prompt, string model = "hybrid-auto", string path = "/v1/chat/completions")
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await http.PostAsJsonAsync(path, Body(prompt, model), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        using var document = JsonDocument.Parse(text);
        return new Routed((int)response.StatusCode, document.RootElement.Clone(), headers);
    }
}
