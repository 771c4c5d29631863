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

    /// <summary>Folder of the governance database (empty: <c>.data/governance</c> under the working directory).</summary>
    public string DataPath { get; set; } = "";

    /// <summary>How long the edge may cache a key's authorisation; revocation takes effect within it.</summary>
    [Range(1, 300)]
    public int KeyCacheSeconds { get; set; } = 10;

    /// <summary>
    /// Ledger durability: <c>Full</c> (default) syncs the write-ahead log on every commit, so an acknowledged
    /// receipt survives a power cut; <c>Normal</c> may lose the last commits on power loss (not on a crash).
    /// </summary>
    [RegularExpression("^(Full|Normal)$", ErrorMessage = "must be Full or Normal.")]
    public string Durability { get; set; } = "Full";

    /// <summary>Largest admin request body, in bytes; larger ones are refused with 413.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxAdminBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Reservation lifetime when a caller gives none; an unsettled reservation frees its amount after it.</summary>
    [Range(1, 3600)]
    public int DefaultReservationTtlSeconds { get; set; } = 300;

    /// <summary>How often each replica re-reads policy versions from the store, in case a change notice was missed.</summary>
    [Range(1, 300)]
    public int PolicyRefreshSeconds { get; set; } = 5;

    /// <summary>The target catalogue policies are checked against (see <see cref="TargetCatalogueOptions"/>).</summary>
    public TargetCatalogueOptions Targets { get; set; } = new();

    /// <summary>The tool registry: which local programs stdio servers may run, and how long listing a server may take.</summary>
    public ToolRegistryOptions Tools { get; set; } = new();

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

        foreach (var problem in Targets.Validate())
        {
            yield return ($"{nameof(Targets)}:{problem.Key}", problem.Message);
        }

        foreach (var problem in Tools.Validate())
        {
            yield return ($"{nameof(Tools)}:{problem.Key}", problem.Message);
        }
    }
}

/// <summary>
/// Where the ids that policies may name as targets come from. Governance must work while llm-proxy is down, so:
/// the built-in <c>slm</c> target, plus <see cref="Known"/> from configuration, plus llm-proxy's catalogue when
/// <see cref="LlmProxyAddress"/> is set and llm-proxy answers within <see cref="LookupTimeoutSeconds"/>. When no
/// catalogue at all is available, unknown-target checks are skipped (logged) rather than blocking every change.
/// </summary>
public sealed class TargetCatalogueOptions
{
    /// <summary>Targets known without asking llm-proxy (e.g. the catalogue ids deployed with this release).</summary>
    public List<KnownTargetOptions> Known { get; set; } = [];

    /// <summary>llm-proxy's gRPC address (<c>http://_grpc.llm-proxy</c>); empty: llm-proxy is not asked.</summary>
    public Uri? LlmProxyAddress { get; set; }

    [Range(1, 30)]
    public int LookupTimeoutSeconds { get; set; } = 2;

    /// <summary>How long a catalogue read from llm-proxy is reused.</summary>
    [Range(1, 3600)]
    public int CacheSeconds { get; set; } = 60;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Known.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(Known[i].Id) && !seen.Add(Known[i].Id))
            {
                yield return ($"{nameof(Known)}:{i}:{nameof(KnownTargetOptions.Id)}", $"duplicate target id '{Known[i].Id}'.");
            }
        }

        if (LlmProxyAddress is { } a && !(a.IsAbsoluteUri && (a.Scheme == Uri.UriSchemeHttp || a.Scheme == Uri.UriSchemeHttps)))
        {
            yield return (nameof(LlmProxyAddress), $"must be an absolute http(s) URL, but is '{a}'.");
        }
    }
}

/// <summary>A target id a policy may name, with the facts policy validation needs.</summary>
public sealed class KnownTargetOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Id { get; set; } = "";

    /// <summary>Runs on infrastructure the operator controls (eligible for local-only data).</summary>
    public bool Local { get; set; }

    /// <summary>Residency tag (eu, us, local); empty: unknown.</summary>
    public string Region { get; set; } = "";
}

/// <summary>
/// Section <c>Governance:Tools</c>. Tenants register MCP servers; a stdio server runs a local program, so only commands
/// the operator lists in <see cref="StdioCommands"/> may be registered (exact match, absolute paths recommended).
/// </summary>
public sealed class ToolRegistryOptions
{
    /// <summary>Programs a stdio tool server may run. Empty (the default): stdio servers cannot be registered.</summary>
    public List<string> StdioCommands { get; set; } = [];

    /// <summary>How long connecting to a server and listing its tools may take (registration and test).</summary>
    [Range(1, 120)]
    public int ListTimeoutSeconds { get; set; } = 10;

    /// <summary>The most tool servers one tenant may register.</summary>
    [Range(1, 1000)]
    public int MaxServersPerTenant { get; set; } = 20;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        for (var i = 0; i < StdioCommands.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(StdioCommands[i]))
            {
                yield return ($"{nameof(StdioCommands)}:{i}", "must not be empty.");
            }
            else if (!Path.IsPathFullyQualified(StdioCommands[i]))
            {
                yield return ($"{nameof(StdioCommands)}:{i}", $"must be an absolute path (so PATH cannot change which program runs), but is '{StdioCommands[i]}'.");
            }
        }
    }
}
