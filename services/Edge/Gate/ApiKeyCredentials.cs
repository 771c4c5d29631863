using Microsoft.Extensions.Primitives;

namespace HybridAI.Edge.Gate;

/// <summary>Reads the caller's key from <c>Authorization: Bearer &lt;key&gt;</c> or <c>x-api-key</c>.</summary>
public static class ApiKeyCredentials
{
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>Longest key read; anything longer is not a key this system issued.</summary>
    public const int MaxKeyLength = 256;

    public enum Outcome
    {
        Found,
        Missing,
        Malformed,
    }

    public static Outcome Read(IHeaderDictionary headers, out string key)
    {
        key = "";
        var authorization = headers.Authorization;
        var apiKey = headers[ApiKeyHeader];
        if (authorization.Count > 1 || apiKey.Count > 1)
        {
            return Outcome.Malformed;
        }

        if (!StringValues.IsNullOrEmpty(authorization))
        {
            const string Scheme = "Bearer ";
            var value = authorization.ToString();
            if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            {
                return Outcome.Malformed;
            }

            key = value[Scheme.Length..].Trim();
        }
        else if (!StringValues.IsNullOrEmpty(apiKey))
        {
            key = apiKey.ToString().Trim();
        }
        else
        {
            return Outcome.Missing;
        }

        if (key.Length == 0)
        {
            return Outcome.Missing;
        }

        return key.Length > MaxKeyLength || key.Any(c => c is < '!' or > '~') ? Outcome.Malformed : Outcome.Found;
    }
}
