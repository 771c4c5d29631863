using HybridAI.Contracts.Governance.V1;
using HybridAI.Tools.Schemas;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace HybridAI.Tools.Mcp;

/// <summary>
/// Lists a server's tools from the raw <c>tools/list</c> results (following pagination), so a tool with a broken schema
/// is reported by name instead of failing the whole listing, and checks each one: its name (OpenAI function names:
/// 1-64 letters, digits, underscores, hyphens; the <c>hybridai_</c> prefix is reserved) and its input schema.
/// </summary>
public static class ToolListing
{
    public const string ReservedPrefix = "hybridai_";

    /// <summary>More tools than this on one server is refused (a model cannot use thousands of tools anyway).</summary>
    public const int MaxTools = 256;

    private const int MaxPages = 16;

    public static async Task<ListedTools> ListAsync(McpClient client, CancellationToken cancellationToken)
    {
        var tools = new List<RegisteredTool>();
        var problems = new List<ToolSchemaProblem>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var request = new JsonRpcRequest
            {
                Method = RequestMethods.ToolsList,
                Params = cursor is null ? null : new System.Text.Json.Nodes.JsonObject { ["cursor"] = cursor },
            };
            var response = await client.SendRequestAsync(request, cancellationToken);
            if (response.Result is not System.Text.Json.Nodes.JsonObject result || result["tools"] is not System.Text.Json.Nodes.JsonArray listed)
            {
                throw new ToolServerException("The server's tools/list result has no tools array.");
            }

            foreach (var node in listed)
            {
                if (tools.Count >= MaxTools)
                {
                    throw new ToolServerException($"The server lists more than {MaxTools} tools.");
                }

                Read(node, tools, problems);
            }

            cursor = result["nextCursor"]?.GetValue<string>();
            if (string.IsNullOrEmpty(cursor))
            {
                return new ListedTools(tools, problems);
            }
        }

        throw new ToolServerException($"The server's tool list did not end within {MaxPages} pages.");
    }

    private static void Read(System.Text.Json.Nodes.JsonNode? node, List<RegisteredTool> tools, List<ToolSchemaProblem> problems)
    {
        var name = node?["name"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var n) ? n : "";
        var description = node?["description"] is System.Text.Json.Nodes.JsonValue d && d.TryGetValue<string>(out var text) ? text : "";
        var schema = node?["inputSchema"]?.ToJsonString() ?? "";
        var tool = new RegisteredTool { Name = name, Description = description, InputSchemaJson = schema };
        if (NameProblem(name) is { } bad)
        {
            problems.Add(new ToolSchemaProblem { Tool = name, Message = bad });
            if (name.Length == 0)
            {
                return;
            }
        }
        else if (tools.Any(t => t.Name == name))
        {
            problems.Add(new ToolSchemaProblem { Tool = name, Message = "is listed twice." });
        }
        else if (ToolSchema.TryCompile(schema, out var schemaProblems) is null)
        {
            problems.AddRange(schemaProblems.Select(p => new ToolSchemaProblem { Tool = name, Message = p }));
        }

        tools.Add(tool);
    }

    /// <summary>Why <paramref name="name"/> cannot be offered to a model, or null.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return "has a name that is not 1-64 letters, digits, underscores or hyphens (OpenAI's function names).";
        }

        return name.StartsWith(ReservedPrefix, StringComparison.Ordinal) ? $"uses the reserved prefix '{ReservedPrefix}' (HybridAI's built-in tools)." : null;
    }

    /// <summary>The problems of every tool, keyed by name (a tool with any problem is never allowed).</summary>
    public static bool HasProblem(this ListedTools listed, string name) => listed.Problems.Any(p => p.Tool == name);
}

/// <summary>A server's tools as listed, and what is wrong with some of them.</summary>
public sealed record ListedTools(IReadOnlyList<RegisteredTool> Tools, IReadOnlyList<ToolSchemaProblem> Problems);
