using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Router.Tools;

/// <summary>
/// Governed tool calling (section <c>Router:Tools</c>, docs/tools.md): the bounds of the server-side tool loop that
/// <c>hybridai.tools: "auto"</c> turns on, and the stdio programs this router may start.
/// </summary>
public sealed class ToolsOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Router:Tools";

    /// <summary>Model turns that may call tools in one request; the turn after the last one must answer (tool_choice none).</summary>
    [Range(1, 32)]
    public int MaxSteps { get; set; } = 6;

    /// <summary>Tool calls executed per model turn; further calls in the same turn get an error result.</summary>
    [Range(1, 64)]
    public int MaxCallsPerStep { get; set; } = 8;

    /// <summary>How long one tool call may take when its server sets no <c>call_timeout_ms</c>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long connecting to a tool server (the MCP handshake) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest tool result passed to a model, in characters; a larger one becomes an error result.</summary>
    [Range(256, 4 * 1024 * 1024)]
    public int MaxResultChars { get; set; } = 16 * 1024;

    /// <summary>Largest arguments a model may send to a tool, in characters.</summary>
    [Range(64, 1024 * 1024)]
    public int MaxArgumentChars { get; set; } = 16 * 1024;

    /// <summary>Idle MCP sessions kept per Streamable HTTP tool server between requests (0: connect for every request).</summary>
    [Range(0, 256)]
    public int SessionPoolSize { get; set; } = 4;

    /// <summary>How long an idle pooled MCP session is kept; keep it below the tool servers' own session expiry.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a tenant's registry read from governance is reused.</summary>
    public TimeSpan RegistryCacheTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Offer the built-in SLM tools (<c>hybridai_extract</c>, <c>hybridai_classify</c>) in the tool loop.</summary>
    public bool BuiltIns { get; set; } = true;

    /// <summary>Programs stdio tool servers may run from this router (absolute paths); the same list as <c>Governance:Tools:StdioCommands</c>.</summary>
    public List<string> StdioCommands { get; set; } = [];

    public IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var (key, value) in new[] { (nameof(CallTimeout), CallTimeout), (nameof(ConnectTimeout), ConnectTimeout), (nameof(RegistryCacheTtl), RegistryCacheTtl), (nameof(SessionIdleTimeout), SessionIdleTimeout) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(10))
            {
                yield return (key, $"must be a positive duration of at most 10 minutes, but is {value}.");
            }
        }

        for (var i = 0; i < StdioCommands.Count; i++)
        {
            if (!Path.IsPathFullyQualified(StdioCommands[i]))
            {
                yield return ($"{nameof(StdioCommands)}:{i}", $"must be an absolute path, but is '{StdioCommands[i]}'.");
            }
        }
    }
}
