using System.Text.Json;
using HybridAI.Contracts.Common.V1;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Policy;
using HybridAI.Tools.Schemas;

namespace HybridAI.Router.Tools;

/// <summary>
/// <c>hybridai_extract</c> and <c>hybridai_classify</c>: the SLM tier's extraction and classification (the same
/// capabilities as <c>/v1/hybrid/extract</c> and <c>/v1/hybrid/classify</c>) offered as tools, so an LLM orchestrating a
/// workflow hands these repetitive sub-steps to local models. Their receipt steps have kind <c>slm</c>.
/// </summary>
public sealed class BuiltInTools
{
    public const string Extract = "hybridai_extract";
    public const string Classify = "hybridai_classify";

    // The schemas below cap texts at 20000 characters (the encoder reads far less; extraction is linear).

    public BuiltInTools(LocalCapabilities local)
    {
        All =
        [
            Define(Extract, "Finds personal and sensitive data (e-mails, phone numbers, names, card numbers, IBANs, addresses, …) in a text, " +
                "on HybridAI's local tier; returns each finding's type, position and value, and the text's data class.",
                """{"type":"object","properties":{"text":{"type":"string","minLength":1,"maxLength":20000}},"required":["text"],"additionalProperties":false}""",
                (args, _) => Task.FromResult(ExtractJson(local, args.GetProperty("text").GetString()!))),
            Define(Classify, "Classifies a text with one of HybridAI's local classification heads (e.g. intent, needs-llm, guard) and returns the label, " +
                "its confidence and the best scores.",
                """{"type":"object","properties":{"text":{"type":"string","minLength":1,"maxLength":20000},"head":{"type":"string","minLength":1,"maxLength":64,"description":"The head; default intent."}},"required":["text"],"additionalProperties":false}""",
                async (args, ct) =>
                {
                    var head = args.TryGetProperty("head", out var h) ? h.GetString()! : "intent";
                    var result = await local.ClassifyAsync(head, args.GetProperty("text").GetString()!, ct);
                    return JsonSerializer.Serialize(new ClassifyResult(result.Head, result.Label, Math.Round(result.Confidence, 4),
                        [.. result.Scores.OrderByDescending(s => s.Score).Take(5).Select(s => new LabelScore(s.Label, Math.Round(s.Score, 4)))]),
                        Json.ClassifyResult);
                }),
        ];
    }

    public IReadOnlyList<BuiltInTool> All { get; }

    /// <summary>Relaxed escaping: the results are read by a model, and texts keep their quotes and apostrophes.</summary>
    private static readonly BuiltInJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static BuiltInTool Define(string name, string description, string schema, Func<JsonElement, CancellationToken, Task<string>> run) =>
        new(new ToolDefinition { Name = name, Description = description, ParametersJsonSchema = schema },
            ToolSchema.TryCompile(schema, out var problems) ?? throw new InvalidOperationException($"{name}: {string.Join(" ", problems)}"), run);

    private static string ExtractJson(LocalCapabilities local, string text)
    {
        var (findings, dataClass, _) = local.Extract(text, redact: false);
        return JsonSerializer.Serialize(new ExtractResult(
            [.. findings.Select(f => new Finding(f.Type, f.Start, f.End, text[f.Start..f.End], Math.Round(f.Score, 3)))], DataClasses.Name(dataClass)),
            Json.ExtractResult);
    }
}

internal sealed record Finding(string Type, int Start, int End, string Value, double Score);

internal sealed record ExtractResult(IReadOnlyList<Finding> Findings, string DataClass);

internal sealed record LabelScore(string Label, double Score);

internal sealed record ClassifyResult(string Head, string Label, double Confidence, IReadOnlyList<LabelScore> Scores);

[System.Text.Json.Serialization.JsonSerializable(typeof(ExtractResult))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ClassifyResult))]
internal sealed partial class BuiltInJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
