using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace HybridAI.LlmProxy.Providers;

/// <summary>
/// Removes secrets from text that leaves the proxy (error messages, log and span text): every configured key,
/// and anything shaped like a key or bearer token, since providers sometimes echo what they were sent.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    private readonly string[] _secrets;

    public SecretRedactor(IOptions<LlmProxyOptions> options)
    {
        var o = options.Value;
        _secrets = o.ApiKeys.Values.Append(o.Default.ApiKey)
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        text = KeyLike().Replace(text, Mask);
        return Bearer().Replace(text, "$1" + Mask);
    }

    // OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) key shapes.
    [GeneratedRegex(@"sk-[A-Za-z0-9_\-]{8,}")]
    private static partial Regex KeyLike();

    [GeneratedRegex(@"(?i)(bearer\s+|api[-_]?key[""']?\s*[:=]\s*[""']?)[A-Za-z0-9._~+/=\-]{8,}")]
    private static partial Regex Bearer();
}
