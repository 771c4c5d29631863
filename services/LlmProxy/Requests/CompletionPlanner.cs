using System.Globalization;
using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy.Catalogue;
using HybridAI.ServiceDefaults.Grpc;
using HybridAI.Tokens;
using Microsoft.Extensions.AI;

namespace HybridAI.LlmProxy.Requests;

/// <summary>
/// Validates a <see cref="CompletionRequest"/> before any upstream call and plans its fallback chain. Problems with
/// the request itself are INVALID_ARGUMENT with a field violation each. A target that exists but cannot serve this
/// request (output limit, context window, missing capability) is skipped with its reason; only when no target is
/// left is the request refused, naming every target's reason.
/// </summary>
public sealed class CompletionPlanner(ModelCatalogue catalogue, TokenCounter tokens)
{
    public CompletionPlan Plan(CompletionRequest request)
    {
        var violations = new List<(string Field, string Description)>();
        var targets = ResolveTargets(request, violations);
        RequestRules.CheckMessages(request, violations);
        RequestRules.CheckSampling(request, violations);
        var tools = RequestRules.CheckTools(request, violations);
        var format = RequestRules.CheckResponseFormat(request.ResponseFormatJson, violations);
        ThrowIfAny("Invalid CompletionRequest", violations);

        var eligible = new List<CatalogueEntry>(targets.Count);
        var skipped = new List<TargetAttempt>();
        var plan = new CompletionPlan(request, tokens)
        {
            Targets = eligible,
            Skipped = skipped,
            Messages = MessageMapper.ToChatMessages(request.Messages),
            Options = BuildOptions(request, tools, format),
        };

        var upperBound = TokenCounter.PromptUpperBound(request.Messages, request.Tools);
        foreach (var entry in targets)
        {
            if (Ineligible(entry, request, plan, upperBound, format) is { } reason)
            {
                skipped.Add(new TargetAttempt { Target = entry.Id, Outcome = "skipped", Error = reason.Description });
                violations.Add((reason.Field, $"target '{entry.Id}': {reason.Description}"));
            }
            else
            {
                eligible.Add(entry);
            }
        }

        if (eligible.Count == 0)
        {
            ThrowIfAny("No allowed target can serve this request", violations);
        }

        return plan;
    }

    /// <summary>The catalogue entry for a single target (CountTokens), or INVALID_ARGUMENT.</summary>
    public CatalogueEntry Resolve(string target, string field)
    {
        if (catalogue.TryGet(target, out var entry))
        {
            return entry;
        }

        throw RpcErrors.InvalidArgument($"Invalid request: {field}: {UnknownModel(target)}.", (field, UnknownModel(target)));
    }

    private List<CatalogueEntry> ResolveTargets(CompletionRequest request, List<(string, string)> violations)
    {
        var result = new List<CatalogueEntry>(request.Targets.Count);
        if (request.Targets.Count == 0)
        {
            violations.Add(("targets", "at least one target (a catalogue id) is required"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Targets.Count; i++)
        {
            var id = request.Targets[i];
            if (!seen.Add(id))
            {
                violations.Add(($"targets[{i}]", $"'{id}' appears more than once"));
            }
            else if (!catalogue.TryGet(id, out var entry))
            {
                violations.Add(($"targets[{i}]", UnknownModel(id)));
            }
            else
            {
                result.Add(entry);
            }
        }

        if (request.ModelHint.Length > 0)
        {
            var hinted = result.FindIndex(e => e.Id == request.ModelHint);
            if (hinted < 0 && !request.Targets.Contains(request.ModelHint))
            {
                violations.Add(("model_hint", $"'{request.ModelHint}' is outside the allowed targets ({string.Join(", ", request.Targets)})"));
            }
            else if (hinted > 0)
            {
                var entry = result[hinted];
                result.RemoveAt(hinted);
                result.Insert(0, entry);
            }
        }

        return result;
    }

    private string UnknownModel(string id) =>
        $"unknown model '{id}'; the catalogue has {string.Join(", ", catalogue.Entries.Select(e => e.Id))} (ListModels)";

    private static (string Field, string Description)? Ineligible(
        CatalogueEntry entry, CompletionRequest request, CompletionPlan plan, long upperBound, ChatResponseFormat? format)
    {
        if (request.HasMaxTokens && request.MaxTokens > entry.MaxOutputTokens)
        {
            return ("max_tokens", $"max_tokens {N(request.MaxTokens)} is above the model's limit of {N(entry.MaxOutputTokens)} output tokens");
        }

        if (request.Tools.Count > 0 && !entry.Supports("tools"))
        {
            return ("tools", "the model does not support tools");
        }

        if (format is ChatResponseFormatJson && !entry.Supports("json"))
        {
            return ("response_format_json", "the model does not support a JSON response format");
        }

        var output = request.HasMaxTokens ? request.MaxTokens : 1;
        if (upperBound + output <= entry.ContextWindow)
        {
            return null;
        }

        var prompt = plan.PromptTokens(entry);
        if (prompt + output > entry.ContextWindow)
        {
            var what = request.HasMaxTokens
                ? $"the prompt is {N(prompt)} tokens ({entry.Tokenizer}) and max_tokens is {N(request.MaxTokens)}: {N(prompt + output)}"
                : $"the prompt is {N(prompt)} tokens ({entry.Tokenizer}), leaving no room for output,";
            return ("messages", $"{what} exceeds the context window of {N(entry.ContextWindow)} tokens");
        }

        return null;
    }

    private static ChatOptions BuildOptions(CompletionRequest request, IList<AITool>? tools, ChatResponseFormat? format)
    {
        var options = new ChatOptions
        {
            MaxOutputTokens = request.HasMaxTokens ? request.MaxTokens : null,
            Temperature = request.HasTemperature ? (float)request.Temperature : null,
            TopP = request.HasTopP ? (float)request.TopP : null,
            Seed = request.HasSeed ? (long)request.Seed : null,
            StopSequences = request.Stop.Count > 0 ? [.. request.Stop] : null,
            Tools = tools,
            ResponseFormat = format,
        };
        if (tools is not null)
        {
            options.ToolMode = request.ToolChoice switch
            {
                "" or "auto" => ChatToolMode.Auto,
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                var name => ChatToolMode.RequireSpecific(name),
            };
        }

        return options;
    }

    private static void ThrowIfAny(string what, List<(string Field, string Description)> violations)
    {
        if (violations.Count > 0)
        {
            RpcErrors.ThrowInvalidArgument(
                $"{what}: {string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"))}.", [.. violations]);
        }
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
