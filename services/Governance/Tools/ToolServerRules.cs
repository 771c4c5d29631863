using System.Text.RegularExpressions;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Tenants;
using HybridAI.Tools.Mcp;

namespace HybridAI.Governance.Tools;

/// <summary>What a tool server definition must satisfy before governance tries to connect to it.</summary>
public static partial class ToolServerRules
{
    public const int MaxCallTimeoutMs = 300_000;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    public static partial Regex Name();

    public static void Check(ToolServer server, StdioCommandAllowList allowList, List<Problem> problems)
    {
        if (!Name().IsMatch(server.Name))
        {
            problems.Add(new Problem("name", $"must be 1-63 lower-case letters, digits or inner hyphens, but is '{TenantRules.Truncate(server.Name)}'."));
        }

        switch (server.Transport)
        {
            case ToolTransport.StreamableHttp:
                if (!Uri.TryCreate(server.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                    || url.UserInfo.Length > 0)
                {
                    problems.Add(new Problem("url", $"must be an absolute http(s) URL without credentials, but is '{TenantRules.Truncate(server.Url)}'."));
                }

                if (server.Command.Length > 0 || server.Args.Count > 0)
                {
                    problems.Add(new Problem("command", "is only for stdio servers."));
                }

                break;
            case ToolTransport.Stdio:
                if (!allowList.Allows(server.Command))
                {
                    problems.Add(new Problem("command", allowList.Commands.Count == 0
                        ? "cannot be registered: the operator allows no stdio commands (Governance:Tools:StdioCommands)."
                        : $"'{TenantRules.Truncate(server.Command)}' is not in the operator's stdio allow-list (Governance:Tools:StdioCommands)."));
                }

                if (server.Url.Length > 0)
                {
                    problems.Add(new Problem("url", "is only for streamable HTTP servers."));
                }

                if (server.Args.Count > 32 || server.Args.Any(a => a.Length > 1024 || a.Contains('\0', StringComparison.Ordinal)))
                {
                    problems.Add(new Problem("args", "takes at most 32 arguments of at most 1024 characters, without NUL."));
                }

                break;
            default:
                problems.Add(new Problem("transport", "must be TOOL_TRANSPORT_STREAMABLE_HTTP or TOOL_TRANSPORT_STDIO."));
                break;
        }

        if (server.CallTimeoutMs is < 0 or > MaxCallTimeoutMs)
        {
            problems.Add(new Problem("call_timeout_ms", $"must be between 0 (the router's default) and {MaxCallTimeoutMs}, but is {server.CallTimeoutMs}."));
        }

        if (server.Tools.Count > 0)
        {
            problems.Add(new Problem("tools", "is set by governance from the server's own list; leave it out."));
        }

        for (var i = 0; i < server.AllowedTools.Count; i++)
        {
            var name = server.AllowedTools[i];
            if (name != "*" && ToolListing.NameProblem(name) is { } bad)
            {
                problems.Add(new Problem($"allowed_tools[{i}]", $"'{TenantRules.Truncate(name)}' {bad}"));
            }
        }
    }
}
