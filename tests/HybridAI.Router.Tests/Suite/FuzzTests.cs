using System.Text;
using System.Text.Json;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// Seeded fuzzing of OpenAI request bodies: valid requests mutated field by field (wrong types, out-of-range numbers,
/// unknown roles, deep nesting, truncation, huge strings, stray bytes). Whatever arrives, the router answers with a
/// 2xx or a 4xx in OpenAI's error shape, never a 5xx.
/// </summary>
public sealed class FuzzTests(HybridSuite suite)
{
    private const int Cases = 3000;

    [Fact]
    public async Task FuzzedChatRequestBodiesNeverCauseAServerError()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = suite.RouterClient(HybridSuite.TenantB);
        var random = new Random(20261130);
        var bodies = Enumerable.Range(0, Cases).Select(_ => Mutate(random)).ToList();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (body, token) =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), content, token);
            var text = await response.Content.ReadAsStringAsync(token);
            var status = (int)response.StatusCode;
            if (status >= 500 || (status >= 400 && !IsOpenAiError(text)))
            {
                failures.Add($"{status} for {Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 300)]} -> {text[..Math.Min(text.Length, 300)]}");
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {Cases} bodies: {string.Join("\n", failures.Take(12))}");
    }

    private static bool IsOpenAiError(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var error = document.RootElement.GetProperty("error");
            return error.GetProperty("message").GetString() is { Length: > 0 } && error.TryGetProperty("type", out _);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private static readonly string[] Fields =
        ["model", "messages", "stream", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "seed", "tools", "tool_choice", "response_format", "stream_options", "user", "hybridai", "n", "logprobs"];

    private static readonly Func<Random, string>[] Values =
    [
        _ => "null", _ => "true", _ => "-1", _ => "0", _ => "1e309", _ => "-9223372036854775809", _ => "3.5", _ => "\"\"",
        _ => "\"hybrid-auto\"", _ => "\"no-such-model\"", _ => "[]", _ => "{}", _ => "[null]", _ => "[1,2,3]",
        r => "\"" + new string('x', r.Next(1, 5000)) + "\"", _ => "\"\\ud800\"", _ => "\"\\u0000\"",
        _ => "[{\"role\":\"user\"}]", _ => "[{\"role\":\"wizard\",\"content\":\"hi\"}]", _ => "[{\"role\":\"user\",\"content\":7}]",
        _ => "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]", _ => "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]",
        _ => "[{\"role\":\"tool\",\"content\":\"x\"}]", _ => "[{\"role\":\"assistant\",\"tool_calls\":[{}]}]",
        _ => "[{\"type\":\"function\",\"function\":{}}]", _ => "[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":\"nope\"}}]",
        _ => "{\"type\":\"json_schema\"}", _ => "{\"include_usage\":\"yes\"}", _ => "{\"max_cost_usd\":-5,\"min_data_class\":7}",
        r => string.Concat(Enumerable.Repeat("[", r.Next(10, 300))) + string.Concat(Enumerable.Repeat("]", r.Next(0, 300))),
    ];

    private static byte[] Mutate(Random random)
    {
        var fields = new Dictionary<string, string>
        {
            ["model"] = "\"hybrid-llm\"",
            ["messages"] = "[{\"role\":\"user\",\"content\":\"fuzz " + random.Next() + "\"}]",
        };
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            fields[Fields[random.Next(Fields.Length)]] = Values[random.Next(Values.Length)](random);
        }

        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
        var bytes = Encoding.UTF8.GetBytes(json);
        switch (random.Next(10))
        {
            case 0:
                return bytes[..random.Next(bytes.Length)];
            case 1:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            default:
                return bytes;
        }
    }
}
