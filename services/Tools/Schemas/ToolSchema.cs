using System.Text.Json;
using Json.Schema;

namespace HybridAI.Tools.Schemas;

/// <summary>
/// A tool's argument schema (JSON Schema 2020-12, as MCP requires), checked once and compiled for validating the
/// arguments a model sends. Checking refuses what a model or a validator would trip over later: not JSON, not an object
/// schema, keywords with the wrong shape (checked against the 2020-12 meta-schema), and references that do not resolve.
/// </summary>
public sealed class ToolSchema
{
    /// <summary>Schemas larger than this are refused (a tool's argument schema is a few kilobytes at most).</summary>
    public const int MaxSchemaChars = 64 * 1024;

    private const int MaxReportedErrors = 5;

    private static readonly EvaluationOptions ListErrors = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema _schema;

    private ToolSchema(JsonSchema schema) => _schema = schema;

    /// <summary>Compiles <paramref name="json"/>, or returns the problems that make it unusable.</summary>
    public static ToolSchema? TryCompile(string json, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        problems = found;
        if (json.Length == 0)
        {
            found.Add("has no input schema.");
            return null;
        }

        if (json.Length > MaxSchemaChars)
        {
            found.Add($"has an input schema of {json.Length} characters; at most {MaxSchemaChars} are accepted.");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            found.Add($"has an input schema that is not valid JSON: {e.Message.Split(" Path:")[0]}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                found.Add("has an input schema that is not a JSON object.");
                return null;
            }

            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
            {
                found.Add("has an input schema whose type is not \"object\" (MCP requires an object schema for arguments).");
            }

            var meta = MetaSchemas.Draft202012.Evaluate(root, ListErrors);
            if (!meta.IsValid)
            {
                found.AddRange(Errors(meta).Select(e => $"has an invalid input schema: {e}"));
            }

            CheckReferences(root, root, "", found);
            if (found.Count > 0)
            {
                return null;
            }

            try
            {
                // A registry of its own per schema: two tools may use the same $id without clashing in the global one.
                var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
                var schema = JsonSchema.Build(root.Clone(), options, new Uri($"urn:hybridai:tool-schema:{Guid.NewGuid():N}"));
                return new ToolSchema(schema);
            }
            catch (Exception e) when (e is JsonSchemaException or RefResolutionException or JsonException or ArgumentException or InvalidOperationException)
            {
                found.Add($"has an input schema that cannot be used: {e.Message}");
                return null;
            }
        }
    }

    /// <summary>What is wrong with <paramref name="arguments"/> for this schema (empty: valid).</summary>
    public IReadOnlyList<string> Validate(JsonElement arguments)
    {
        try
        {
            var result = _schema.Evaluate(arguments, ListErrors);
            return result.IsValid ? [] : [.. Errors(result)];
        }
        catch (Exception e) when (e is JsonSchemaException or RefResolutionException)
        {
            // Registration refuses schemas this could happen with; a schema that still fails is a failed check, not a crash.
            return [$"the tool's schema could not be evaluated: {e.Message}"];
        }
    }

    /// <summary>
    /// Every <c>$ref</c> must point inside the schema (<c>#</c> or a JSON pointer <c>#/…</c> that resolves): nothing is
    /// ever fetched, and the validator resolves references lazily, so a dangling one would otherwise surface only when
    /// a model's arguments reach it.
    /// </summary>
    private static void CheckReferences(JsonElement root, JsonElement node, string path, List<string> found)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in node.EnumerateObject())
                {
                    if (property.Name is "$ref" or "$dynamicRef" && property.Value.ValueKind == JsonValueKind.String
                        && Resolve(root, property.Value.GetString()!) is { } problem)
                    {
                        found.Add($"has an input schema whose reference at {(path.Length == 0 ? "/" : path)}/{property.Name} {problem}");
                    }

                    CheckReferences(root, property.Value, $"{path}/{property.Name}", found);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in node.EnumerateArray())
                {
                    CheckReferences(root, item, $"{path}/{i++}", found);
                }

                break;
        }
    }

    private static string? Resolve(JsonElement root, string reference)
    {
        if (reference == "#")
        {
            return null;
        }

        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return $"'{reference}' is not local (only #/… references inside the schema are allowed; nothing is fetched).";
        }

        var current = root;
        foreach (var raw in reference[2..].Split('/'))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(token, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return $"'{reference}' points at nothing in the schema.";
            }
        }

        return null;
    }

    private static List<string> Errors(EvaluationResults results)
    {
        var errors = new List<string>();
        Collect(results, errors);
        if (errors.Count == 0)
        {
            errors.Add("does not match the schema.");
        }

        return errors.Count > MaxReportedErrors ? [.. errors.Take(MaxReportedErrors), $"(and {errors.Count - MaxReportedErrors} more)"] : errors;
    }

    private static void Collect(EvaluationResults results, List<string> errors)
    {
        if (results.Errors is { Count: > 0 } own)
        {
            var where = results.InstanceLocation.ToString();
            foreach (var (keyword, message) in own)
            {
                errors.Add($"{(where.Length == 0 ? "/" : where)}: {message} ({keyword})");
            }
        }

        if (results.Details is { } details)
        {
            foreach (var detail in details)
            {
                Collect(detail, errors);
            }
        }
    }
}
