using System.Collections.Concurrent;
using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Client;
using HybridAI.Router.Errors;
using HybridAI.Tools.Schemas;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Tools;

/// <summary>
/// Tenants' tool registries, read from governance (<c>GetToolRegistry</c>) and reused for <c>Router:Tools:RegistryCacheTtl</c>,
/// compiled once per read. While governance is unreachable the last registry read is used; without one the request fails
/// (tools cannot be offered without knowing which are allowed).
/// </summary>
public sealed partial class ToolRegistryCache(
    GovernanceService.GovernanceServiceClient client, IOptions<ToolsOptions> options, IOptions<GovernanceClientOptions> governance,
    TimeProvider clock, ILogger<ToolRegistryCache> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<TenantTools> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(tenantId, out var entry) && entry.ReadAt + options.Value.RegistryCacheTtl > now)
        {
            return entry.Tools;
        }

        try
        {
            var registry = await client.GetToolRegistryAsync(new GetToolRegistryRequest { TenantId = tenantId },
                deadline: DateTime.UtcNow.Add(governance.Value.CallTimeout), cancellationToken: cancellationToken);
            var tools = Compile(registry, logger);
            _entries[tenantId] = new Entry(tools, now);
            return tools;
        }
        catch (RpcException e) when (entry is not null && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            LogStale(logger, tenantId, e.StatusCode);
            return entry.Tools;
        }
        catch (RpcException e) when (e.StatusCode is not StatusCode.Cancelled)
        {
            throw RoutingException.Unavailable("tools_unavailable",
                $"The tenant's tool registry could not be read from governance ({e.StatusCode}: {e.Status.Detail}).", TimeSpan.FromSeconds(1), e);
        }
    }

    /// <summary>
    /// The allowed tools with their compiled schemas. Governance validated them at registration; one that fails to compile
    /// here (a registry written by another version) is left out and logged, never offered with an unchecked schema.
    /// </summary>
    internal static TenantTools Compile(ToolRegistry registry, ILogger logger)
    {
        var allowed = new Dictionary<string, McpServerTool>(StringComparer.Ordinal);
        var forbidden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in registry.Servers)
        {
            foreach (var tool in server.Tools)
            {
                if (!tool.Allowed || allowed.ContainsKey(tool.Name))
                {
                    forbidden.Add(tool.Name);
                    continue;
                }

                if (ToolSchema.TryCompile(tool.InputSchemaJson, out var problems) is not { } schema)
                {
                    LogUnusable(logger, registry.TenantId, server.Name, tool.Name, string.Join(" ", problems));
                    forbidden.Add(tool.Name);
                    continue;
                }

                var definition = new ToolDefinition { Name = tool.Name, Description = tool.Description, ParametersJsonSchema = tool.InputSchemaJson };
                allowed[tool.Name] = new McpServerTool(definition, schema, server);
            }
        }

        forbidden.ExceptWith(allowed.Keys);
        return new TenantTools(allowed, forbidden);
    }

    private sealed record Entry(TenantTools Tools, DateTimeOffset ReadAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Governance is unreachable ({Status}); using the last tool registry read for tenant {Tenant}")]
    private static partial void LogStale(ILogger logger, string tenant, StatusCode status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tenant}/{Server}/{Tool} is not offered: its schema does not compile here ({Problems})")]
    private static partial void LogUnusable(ILogger logger, string tenant, string server, string tool, string problems);
}
