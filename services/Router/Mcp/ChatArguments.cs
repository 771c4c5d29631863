using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Policy;
using HybridAI.Router.Requests;

namespace HybridAI.Router.Mcp;

/// <summary>
/// The arguments <c>ask</c> and <c>route_explain</c> share: a prompt (and optional system message) plus the routing
/// constraints of the HTTP API's <c>hybridai</c> object, turned into the pipeline's <see cref="ChatCall"/>.
/// </summary>
public static class ChatArguments
{
    public const int MaxPromptCharacters = 100_000;

    public const int MaxSystemCharacters = 20_000;

    /// <summary>The schema's properties, for a tool's input schema (<paramref name="extra"/> adds tool-specific ones).</summary>
    public static string SchemaProperties(string extra = "") => $$"""
        "prompt": { "type": "string", "minLength": 1, "maxLength": {{MaxPromptCharacters}}, "description": "The user's question or instruction." },
        "system": { "type": "string", "maxLength": {{MaxSystemCharacters}}, "description": "Optional system message sent before the prompt." },
        "model": { "type": "string", "maxLength": 200, "description": "hybrid-auto (the policy decides, default), hybrid-slm (local only), hybrid-llm (external tier), or a model id from the catalogue." },
        "max_tokens": { "type": "integer", "minimum": 1, "maximum": 32768, "description": "Most tokens to generate (the policy may cap it lower)." },
        "max_cost_usd": { "type": "number", "minimum": 0, "maximum": 1000, "description": "Refuse targets whose worst-case cost exceeds this many US dollars." },
        "latency_slo_ms": { "type": "integer", "minimum": 1, "maximum": 600000, "description": "Prefer targets expected to answer within this many milliseconds." },
        "min_data_class": { "type": "string", "enum": ["public", "internal", "confidential", "restricted"], "description": "Treat the prompt as at least this sensitive (confidential and above never leave the infrastructure)." }{{extra}}
        """;

    /// <summary>Reads the shared arguments; call <see cref="ToolArguments.ThrowIfInvalid"/> after any tool-specific ones.</summary>
    public static ChatCompletionRequest Read(ToolArguments arguments, string defaultModel)
    {
        var prompt = arguments.Text("prompt", required: true, MaxPromptCharacters);
        var system = arguments.Text("system", required: false, MaxSystemCharacters);
        var model = arguments.Text("model", required: false, 200);
        var maxTokens = arguments.WholeNumber("max_tokens", required: false, 1, 32768);
        var maxCost = arguments.Number("max_cost_usd", required: false, 0, 1000);
        var slo = arguments.WholeNumber("latency_slo_ms", required: false, 1, 600_000);
        var dataClass = arguments.Choice("min_data_class", required: false, "public", "internal", "confidential", "restricted");

        var request = new ChatCompletionRequest { Model = string.IsNullOrWhiteSpace(model) ? defaultModel : model.Trim() };
        if (!string.IsNullOrEmpty(system))
        {
            request.Messages.Add(new ChatMessage { Role = "system", Content = system });
        }

        request.Messages.Add(new ChatMessage { Role = "user", Content = prompt ?? "" });
        if (maxTokens is { } max)
        {
            request.MaxTokens = max;
        }

        if (maxCost is not null || slo is not null || dataClass is not null)
        {
            request.Constraints = new RoutingConstraints();
            if (maxCost is { } cost)
            {
                request.Constraints.MaxCostMicros = (long)Math.Round(cost * 1_000_000, MidpointRounding.AwayFromZero);
            }

            if (slo is { } latency)
            {
                request.Constraints.LatencySloMs = latency;
            }

            if (dataClass is not null && DataClasses.TryParse(dataClass, out var minimum))
            {
                request.Constraints.MinDataClass = minimum;
            }
        }

        return request;
    }

    public static ChatCall Call(ChatCompletionRequest request, Caller caller) => new() { Request = request, Caller = caller };
}
