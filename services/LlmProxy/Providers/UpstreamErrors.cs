using System.Text.Json;

namespace HybridAI.LlmProxy.Providers;

/// <summary>Builds the safe message of a failed upstream call from its status and the provider's error body.</summary>
internal static class UpstreamErrors
{
    private const int MaxMessageLength = 500;

    public static UpstreamException FromStatus(int status, string? reason, string body, TimeSpan? retryAfter, SecretRedactor redactor)
    {
        var kind = status switch
        {
            429 => UpstreamFailureKind.RateLimited,
            408 or >= 500 => UpstreamFailureKind.ServerError,
            401 => UpstreamFailureKind.Unauthorized,
            403 => UpstreamFailureKind.Forbidden,
            404 => UpstreamFailureKind.NotFound,
            _ => UpstreamFailureKind.Rejected,
        };
        var providerMessage = ProviderMessage(body);
        var text = $"{status} {reason}".TrimEnd();
        if (providerMessage.Length > 0)
        {
            text += ": " + providerMessage;
        }

        return new UpstreamException(kind, redactor.Redact(text), status, retryAfter);
    }

    /// <summary>
    /// The human message in an error body: OpenAI and Anthropic put it in <c>error.message</c>, Ollama and others in
    /// <c>error</c> or <c>message</c>. A non-JSON body (an HTML error page) is summarised, not copied.
    /// </summary>
    public static string ProviderMessage(string body)
    {
        var trimmed = body.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return "";
        }

        if (trimmed[0] == '{')
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        return Clip(m.GetString()!);
                    }

                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return Clip(error.GetString()!);
                    }
                }

                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return Clip(message.GetString()!);
                }
            }
            catch (JsonException)
            {
                // Not JSON after all; summarised below.
            }
        }

        return trimmed[0] == '<' ? $"(non-JSON body of {body.Length} characters)" : Clip(trimmed.ToString());
    }

    private static string Clip(string text)
    {
        var single = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return single.Length <= MaxMessageLength ? single : string.Concat(single.AsSpan(0, MaxMessageLength), "…");
    }
}
