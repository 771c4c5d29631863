using System.Net;
using System.Text.Json;

namespace HybridAI.Edge.Tests.Hosts;

/// <summary>Assertions about the error bodies callers of <c>/v1</c> get.</summary>
public static class OpenAiErrors
{
    /// <summary>
    /// Asserts an OpenAI-shaped error (<c>{"error":{"message","type","code"}}</c>) with <paramref name="status"/> and
    /// <paramref name="code"/>, that leaks neither a stack trace nor a loopback address; returns the error object.
    /// </summary>
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        return error;
    }
}
