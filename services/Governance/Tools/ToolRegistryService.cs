using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Tenants;
using HybridAI.Tools.Mcp;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Tools;

/// <summary>
/// The tool registry: per tenant, MCP servers and the tools each may expose. Registering connects to the server, lists
/// its tools (raw, so one broken tool is reported by name) and validates every schema; a tool with a problem is stored
/// but never allowed. The allow-list is explicit (<c>"*"</c> for every valid tool), and an allowed tool name must be
/// unique across the tenant's servers, since models call tools by name.
/// </summary>
public sealed partial class ToolRegistryService(
    SqliteToolServerStore store, KnownTenants tenants, IOptions<GovernanceOptions> options, TimeProvider clock,
    ILoggerFactory loggerFactory, ILogger<ToolRegistryService> logger)
{
    private StdioCommandAllowList AllowList => new(options.Value.Tools.StdioCommands);

    public async Task<PutToolServerResponse> PutAsync(PutToolServerRequest request, string actor, CancellationToken cancellationToken)
    {
        var server = request.Server?.Clone() ?? new ToolServer();
        await tenants.RequireAsync(server.TenantId, cancellationToken);
        var problems = new List<Problem>();
        ToolServerRules.Check(server, AllowList, problems);
        Throw.IfAny("The tool server", problems);

        var others = (await store.ListAsync(server.TenantId, cancellationToken)).Where(s => s.Name != server.Name).ToList();
        if (others.Count >= options.Value.Tools.MaxServersPerTenant)
        {
            throw new ValidationFailedException("The tool server",
                [new Problem("name", $"tenant '{server.TenantId}' already has {others.Count} tool servers, the most allowed (Governance:Tools:MaxServersPerTenant).")]);
        }

        var listed = await ListOrExplainAsync(server, cancellationToken);
        var all = server.AllowedTools.Contains("*");
        for (var i = 0; i < server.AllowedTools.Count; i++)
        {
            var name = server.AllowedTools[i];
            if (name == "*")
            {
                continue;
            }

            if (listed.Tools.All(t => t.Name != name))
            {
                problems.Add(new Problem($"allowed_tools[{i}]", $"'{name}' is not among the server's tools ({string.Join(", ", listed.Tools.Select(t => t.Name))})."));
            }
            else if (listed.HasProblem(name))
            {
                problems.Add(new Problem($"allowed_tools[{i}]", $"'{name}' cannot be allowed: " +
                    string.Join(" ", listed.Problems.Where(p => p.Tool == name).Select(p => p.Message))));
            }
        }

        var stored = server.Clone();
        stored.Tools.Clear();
        foreach (var tool in listed.Tools)
        {
            var allowed = (all || server.AllowedTools.Contains(tool.Name)) && !listed.HasProblem(tool.Name);
            if (allowed && others.FirstOrDefault(o => o.Tools.Any(t => t.Allowed && t.Name == tool.Name)) is { } clash)
            {
                problems.Add(new Problem("allowed_tools", $"'{tool.Name}' is already exposed by the tenant's server '{clash.Name}'; models call tools by name, so names must be unique."));
            }

            stored.Tools.Add(new RegisteredTool(tool) { Allowed = allowed });
        }

        Throw.IfAny("The tool server", problems);
        var now = clock.GetUtcNow();
        stored.RegisteredAt = Timestamp.FromDateTimeOffset(now);
        stored.RegisteredBy = actor;
        await store.PutAsync(stored, actor, now, cancellationToken);
        LogRegistered(logger, stored.TenantId, stored.Name, stored.Tools.Count(t => t.Allowed), stored.Tools.Count, actor);
        return new PutToolServerResponse { Server = stored, Problems = { listed.Problems } };
    }

    public async Task<ToolRegistry> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await tenants.RequireAsync(tenantId, cancellationToken);
        return new ToolRegistry { TenantId = tenantId, Servers = { await store.ListAsync(tenantId, cancellationToken) } };
    }

    public async Task<ToolServer> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        await tenants.RequireAsync(tenantId, cancellationToken);
        return await store.GetAsync(tenantId, name, cancellationToken) ?? throw new NotFoundException("tool_server", $"{tenantId}/{name}");
    }

    public async Task<DeleteToolServerResponse> DeleteAsync(DeleteToolServerRequest request, string actor, CancellationToken cancellationToken)
    {
        await tenants.RequireAsync(request.TenantId, cancellationToken);
        if (!await store.DeleteAsync(request.TenantId, request.Name, actor, clock.GetUtcNow(), cancellationToken))
        {
            throw new NotFoundException("tool_server", $"{request.TenantId}/{request.Name}");
        }

        LogRemoved(logger, request.TenantId, request.Name, actor);
        return new DeleteToolServerResponse { Deleted = true };
    }

    /// <summary>Connects now and lists the tools; reports schema problems and what changed since registration. Never throws for an unreachable server.</summary>
    public async Task<TestToolServerResponse> TestAsync(TestToolServerRequest request, CancellationToken cancellationToken)
    {
        var registered = await GetAsync(request.TenantId, request.Name, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        ListedTools listed;
        try
        {
            listed = await ListToolsAsync(registered, cancellationToken);
        }
        catch (ToolServerException e)
        {
            return new TestToolServerResponse { Reachable = false, Error = e.Message, LatencyMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds };
        }

        var response = new TestToolServerResponse
        {
            Reachable = true,
            LatencyMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            Tools = { listed.Tools },
            Problems = { listed.Problems },
        };
        foreach (var tool in registered.Tools.Where(t => t.Allowed))
        {
            var now = listed.Tools.FirstOrDefault(t => t.Name == tool.Name);
            if (now is null)
            {
                response.Problems.Add(new ToolSchemaProblem { Tool = tool.Name, Message = "is allowed but the server no longer lists it (calls will fail)." });
            }
            else if (now.InputSchemaJson != tool.InputSchemaJson)
            {
                response.Problems.Add(new ToolSchemaProblem { Tool = tool.Name, Message = "has a different input schema than at registration (arguments are still validated against the registered one; register the server again to accept the change)." });
            }
        }

        return response;
    }

    /// <summary>The registry as the router reads it.</summary>
    public Task<ToolRegistry> GetRegistryAsync(string tenantId, CancellationToken cancellationToken) => ListAsync(tenantId, cancellationToken);

    private async Task<ListedTools> ListOrExplainAsync(ToolServer server, CancellationToken cancellationToken)
    {
        try
        {
            return await ListToolsAsync(server, cancellationToken);
        }
        catch (ToolServerException e)
        {
            var field = server.Transport == ToolTransport.Stdio ? "command" : "url";
            throw new ValidationFailedException("The tool server", [new Problem(field, $"its tools could not be listed: {e.Message}")]);
        }
    }

    private async Task<ListedTools> ListToolsAsync(ToolServer server, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.Tools.ListTimeoutSeconds);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await using var client = await McpConnector.ConnectAsync(server, AllowList, timeout, loggerFactory, limit.Token);
            return await ToolListing.ListAsync(client, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolServerException($"Listing the tools of '{server.Name}' took longer than {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException and not ToolServerException)
        {
            // The MCP client's protocol and transport errors (McpException, HttpRequestException, IOException, JsonException).
            throw new ToolServerException($"Listing the tools of '{server.Name}' failed: {McpConnector.Describe(e)}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tool server {Tenant}/{Name} registered by {Actor}: {Allowed} of {Listed} tools allowed")]
    private static partial void LogRegistered(ILogger logger, string tenant, string name, int allowed, int listed, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tool server {Tenant}/{Name} removed by {Actor}")]
    private static partial void LogRemoved(ILogger logger, string tenant, string name, string actor);
}
