using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Router.Errors;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Privacy;
using HybridAI.Tools.Mcp;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Tools;

/// <summary>
/// The server-side tool loop (<c>hybridai.tools: "auto"</c>): the model is offered the tenant's allowed tools and the
/// built-ins besides the request's own; each turn's calls are executed under governance (<see cref="ToolExecutor"/>)
/// and their results fed back, for at most <c>Router:Tools:MaxSteps</c> turns, after which the model must answer
/// (tool_choice none). A turn that calls one of the client's own tools ends the loop: the calls go back to the client,
/// as OpenAI's API does.
/// </summary>
public sealed class ToolLoop(ToolRegistryCache registry, BuiltInTools builtIns, ToolExecutor executor, McpSessionPool sessions,
    IOptions<ToolsOptions> options, ILoggerFactory loggerFactory)
{
    public const string Auto = "auto";

    /// <summary>The request's tool set when it asks for the server-side loop, else null.</summary>
    public async Task<ToolSet?> PrepareAsync(RoutedRequest request, CancellationToken cancellationToken)
    {
        if (request.Call.Request.ToolMode != Auto)
        {
            return null;
        }

        var tenant = await registry.GetAsync(request.Caller.TenantId, cancellationToken);
        var server = new Dictionary<string, ServerTool>(StringComparer.Ordinal);
        foreach (var (name, tool) in tenant.Allowed)
        {
            server[name] = tool;
        }

        if (options.Value.BuiltIns)
        {
            foreach (var tool in builtIns.All)
            {
                server[tool.Name] = tool;
            }
        }

        var client = new HashSet<string>(StringComparer.Ordinal);
        var tools = request.Call.Request.Tools;
        for (var i = 0; i < tools.Count; i++)
        {
            if (server.ContainsKey(tools[i].Name) || tenant.Forbidden.Contains(tools[i].Name))
            {
                throw RoutingException.Invalid($"tools[{i}].function.name",
                    $"'{tools[i].Name}' is also the name of one of the tenant's registered or built-in tools; rename the request's tool.");
            }

            client.Add(tools[i].Name);
        }

        return new ToolSet(server, tenant.Forbidden, client);
    }

    /// <summary>
    /// Runs the loop from <paramref name="completion"/> (the first turn's request, which it extends) and returns the last
    /// turn's response with the usage and cost of every turn summed. <paramref name="complete"/> makes one LLM call
    /// (with its own budget reservation) for the given turn.
    /// </summary>
    public async Task<CompletionResponse> RunAsync(RoutedRequest request, CompletionRequest completion, ToolSet tools, IRedaction? redaction,
        Func<CompletionRequest, int, CancellationToken, Task<CompletionResponse>> complete, CancellationToken cancellationToken)
    {
        var o = options.Value;
        completion.Tools.AddRange(tools.Definitions);
        var usage = new TokenUsage();
        long cost = 0;
        var attempts = new List<TargetAttempt>();
        await using var connections = new McpConnections(new StdioCommandAllowList(o.StdioCommands), o.ConnectTimeout, sessions, loggerFactory);
        for (var step = 0; ; step++)
        {
            if (step == o.MaxSteps)
            {
                // The last turn must answer with what it has.
                completion.ToolChoice = "none";
                request.ExecutionReasons.Add($"tool loop: {o.MaxSteps} tool turns used, the model was asked to answer");
            }

            var response = await complete(completion, step, cancellationToken);
            usage.PromptTokens += response.Usage?.PromptTokens ?? 0;
            usage.CachedPromptTokens += response.Usage?.CachedPromptTokens ?? 0;
            usage.CompletionTokens += response.Usage?.CompletionTokens ?? 0;
            usage.Estimated |= response.Usage?.Estimated ?? false;
            cost += response.CostMicros;
            attempts.AddRange(response.Attempts);
            // Kept on the request after every turn, so a later turn's failure still receipts what the earlier ones cost.
            request.Usage = new TokenUsage(usage);
            request.CostMicros = cost;
            var message = response.Message ?? new ChatMessage { Role = "assistant" };
            if (message.ToolCalls.Count == 0 || step == o.MaxSteps || message.ToolCalls.Any(c => tools.Client.Contains(c.Name)))
            {
                var last = response.Clone();
                if (step == o.MaxSteps && message.ToolCalls.Any(c => !tools.Client.Contains(c.Name)))
                {
                    // The model ignored tool_choice none: its calls of the router's tools are not the client's to run.
                    var kept = message.ToolCalls.Where(c => tools.Client.Contains(c.Name)).ToList();
                    last.Message = new ChatMessage(message);
                    last.Message.ToolCalls.Clear();
                    last.Message.ToolCalls.AddRange(kept);
                    last.FinishReason = kept.Count > 0 ? "tool_calls" : "stop";
                    if (last.Message.Content.Length == 0 && kept.Count == 0)
                    {
                        last.Message.Content = $"No answer: the model kept calling tools after {o.MaxSteps} turns.";
                    }
                }

                last.Usage = usage;
                last.CostMicros = cost;
                last.Attempts.Clear();
                last.Attempts.AddRange(attempts);
                return last;
            }

            completion.Messages.Add(message);
            for (var i = 0; i < message.ToolCalls.Count; i++)
            {
                var call = message.ToolCalls[i];
                var content = i < o.MaxCallsPerStep
                    ? await executor.ExecuteAsync(request, call, tools, redaction, connections, cancellationToken)
                    : ToolErrors.Json($"Not run: at most {o.MaxCallsPerStep} tool calls are executed per turn.");
                completion.Messages.Add(new ChatMessage { Role = "tool", ToolCallId = call.Id, Content = content });
            }
        }
    }
}
