using System.Net.Http.Json;
using System.Text.Json;

namespace HybridAI.Reliability.Tests.Harness;

/// <summary>What one chat completion returned: its request id (sent as <c>x-request-id</c>), status and body.</summary>
public sealed record Outcome(string RequestId, string Prompt, int Status, string Body, string Route, string Model, string ErrorCode, string ErrorType)
{
    /// <summary>How long the request took, from sending to the end of the body.</summary>
    public TimeSpan Elapsed { get; init; }

    public bool Ok => Status == 200;

    /// <summary>An OpenAI-shaped error (<c>{"error":{"message","type","code"}}</c>) with a code and a message.</summary>
    public bool IsClearError => Status >= 400 && ErrorCode.Length > 0 && ErrorType.Length > 0 && Body.Contains("\"message\"", StringComparison.Ordinal);

    public override string ToString() => $"{RequestId} {Status} route={Route} model={Model} code={ErrorCode} {Body[..Math.Min(Body.Length, 300)]}";
}

/// <summary>Sends chat completions with fresh request ids and records every outcome.</summary>
public static class Traffic
{
    /// <summary>A question the dev tenant's sample FAQ answers (the SLM tier).</summary>
    public const string FaqQuestion = "Where are your stores?";

    /// <summary>A prompt only the LLM tier answers, unique per call so the cache never answers it.</summary>
    public static string LlmPrompt() =>
        $"Case {Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}. Propose three names for an internal routing service.";

    public static async Task<Outcome> SendAsync(HttpClient http, string prompt, CancellationToken cancellationToken, string? requestId = null)
    {
        requestId ??= Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "hybrid-auto", messages = new[] { new { role = "user", content = prompt } } }),
        };
        request.Headers.Add("x-request-id", requestId);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var (code, type) = ErrorOf(body);
            return new Outcome(requestId, prompt, (int)response.StatusCode, body, Header(response, "x-hybridai-route"), Header(response, "x-hybridai-model"), code, type)
            {
                Elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started),
            };
        }
        catch (HttpRequestException e)
        {
            // A connection the server dropped: not an answer, and the assertions say so.
            return new Outcome(requestId, prompt, 0, e.Message, "", "", "", "");
        }
    }

    /// <summary>Sends <paramref name="count"/> requests, at most <paramref name="concurrency"/> at a time.</summary>
    public static async Task<List<Outcome>> RunAsync(HttpClient http, int count, int concurrency, Func<int, string> prompt, CancellationToken cancellationToken)
    {
        var outcomes = new Outcome[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) => outcomes[i] = await SendAsync(http, prompt(i), ct));
        return [.. outcomes];
    }

    /// <summary>A line for the test output: how many, how many served, the slowest.</summary>
    public static string Summary(string phase, IReadOnlyCollection<Outcome> outcomes) =>
        $"{phase}: {outcomes.Count} requests, {outcomes.Count(o => o.Ok)} served, errors [{string.Join(", ", outcomes.Where(o => !o.Ok).GroupBy(o => $"{o.Status} {o.ErrorCode}").Select(g => $"{g.Key} x{g.Count()}"))}], "
        + $"slowest {(outcomes.Count == 0 ? 0 : outcomes.Max(o => o.Elapsed.TotalMilliseconds)):F0} ms";

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private static (string Code, string Type) ErrorOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (error.TryGetProperty("code", out var c) ? c.ToString() : "", error.TryGetProperty("type", out var t) ? t.ToString() : "");
            }
        }
        catch (JsonException)
        {
            // Not JSON: no OpenAI error, and IsClearError says so.
        }

        return ("", "");
    }
}
