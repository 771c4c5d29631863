using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Edge;

/// <summary>edge settings (section <c>Edge</c>).</summary>
public sealed class EdgeOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Edge";

    /// <summary>Largest request body accepted, in bytes.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Origins allowed to call the API from a browser; empty: CORS is off.</summary>
    public List<string> AllowedCorsOrigins { get; set; } = [];

    public IEnumerable<(string Key, string Message)> Validate()
    {
        for (var i = 0; i < AllowedCorsOrigins.Count; i++)
        {
            if (!Uri.TryCreate(AllowedCorsOrigins[i], UriKind.Absolute, out var origin) || origin.AbsolutePath != "/")
            {
                yield return ($"{nameof(AllowedCorsOrigins)}:{i}", $"must be an origin such as https://app.example.com, but is '{AllowedCorsOrigins[i]}'.");
            }
        }
    }
}
