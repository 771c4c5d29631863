using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Governance;

/// <summary>governance settings (section <c>Governance</c>).</summary>
public sealed class GovernanceOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Governance";

    public const int MinKeyLength = 16;

    /// <summary>Guards <c>/admin</c> and the admin gRPC service. The AppHost parameter <c>admin-api-key</c>; a Secret in Kubernetes.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "is required (the admin-api-key secret).")]
    public string AdminApiKey { get; set; } = "";

    /// <summary>Seeds tenant <c>dev</c> with this key at start (local mode only; empty in production).</summary>
    public string DevApiKey { get; set; } = "";

    /// <summary>Folder of the ledger database (empty: <c>.data/governance</c> under the working directory).</summary>
    public string DataPath { get; set; } = "";

    /// <summary>How long the edge may cache a key's authorisation; revocation takes effect within it.</summary>
    [Range(1, 300)]
    public int KeyCacheSeconds { get; set; } = 10;

    public string ResolvedDataPath => Path.GetFullPath(string.IsNullOrWhiteSpace(DataPath) ? Path.Combine(".data", "governance") : DataPath);

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (AdminApiKey.Length is > 0 and < MinKeyLength)
        {
            yield return (nameof(AdminApiKey), $"must be at least {MinKeyLength} characters.");
        }

        if (DevApiKey.Length is > 0 and < MinKeyLength)
        {
            yield return (nameof(DevApiKey), $"must be at least {MinKeyLength} characters.");
        }

        if (DevApiKey.Length > 0 && DevApiKey == AdminApiKey)
        {
            yield return (nameof(DevApiKey), "must differ from AdminApiKey.");
        }
    }
}
