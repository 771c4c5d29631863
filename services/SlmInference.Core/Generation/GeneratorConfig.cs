using System.Text.Json;

namespace HybridAI.SlmInference.Core.Generation;

/// <summary>What a generator folder's JSON files say: model shape, special tokens and chat template.</summary>
internal sealed record GeneratorConfig(
    int? KeyValueHeads, int? HeadDimension, int ContextWindow, IReadOnlySet<int> EndOfSequenceIds,
    string? ChatTemplate, string BosToken, string EosToken)
{
    public static GeneratorConfig Read(string folder, Func<string, int?> tokenToId)
    {
        var config = ReadJson(Path.Combine(folder, "config.json"), required: true)!.Value;
        var generation = ReadJson(Path.Combine(folder, "generation_config.json"), required: false);
        var tokenizerConfig = ReadJson(Path.Combine(folder, "tokenizer_config.json"), required: false);

        var heads = Int(config, "num_attention_heads");
        var kvHeads = Int(config, "num_key_value_heads") ?? heads;
        var headDim = Int(config, "head_dim") ?? (Int(config, "hidden_size") is { } hidden && heads is > 0 ? hidden / heads : null);
        var window = Int(config, "max_position_embeddings") ?? Int(config, "n_positions") ?? 2048;

        var eos = new HashSet<int>();
        AddIds(eos, config, "eos_token_id");
        if (generation is { } g)
        {
            AddIds(eos, g, "eos_token_id");
        }

        var bosToken = TokenText(tokenizerConfig, "bos_token");
        var eosToken = TokenText(tokenizerConfig, "eos_token");
        if (eosToken.Length > 0 && tokenToId(eosToken) is { } eosId)
        {
            eos.Add(eosId);
        }

        var template = ChatTemplateOf(folder, tokenizerConfig);
        return new GeneratorConfig(kvHeads, headDim, window, eos, template, bosToken, eosToken);
    }

    private static string? ChatTemplateOf(string folder, JsonElement? tokenizerConfig)
    {
        var file = Path.Combine(folder, "chat_template.jinja");
        if (File.Exists(file))
        {
            return File.ReadAllText(file);
        }

        if (tokenizerConfig is not { } t || !t.TryGetProperty("chat_template", out var template))
        {
            return null;
        }

        if (template.ValueKind == JsonValueKind.String)
        {
            return template.GetString();
        }

        // A list of named templates: the one named "default" is the chat template.
        return template.ValueKind == JsonValueKind.Array
            ? template.EnumerateArray().FirstOrDefault(e => e.GetProperty("name").GetString() == "default") is { ValueKind: JsonValueKind.Object } d
                ? d.GetProperty("template").GetString()
                : null
            : null;
    }

    private static JsonElement? ReadJson(string path, bool required)
    {
        if (!File.Exists(path))
        {
            return required ? throw new FileNotFoundException($"{path} does not exist.", path) : null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static void AddIds(HashSet<int> ids, JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var v))
        {
            return;
        }

        if (v.ValueKind == JsonValueKind.Number)
        {
            ids.Add(v.GetInt32());
        }
        else if (v.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in v.EnumerateArray())
            {
                ids.Add(item.GetInt32());
            }
        }
    }

    /// <summary>A special token in tokenizer_config.json is a string or an AddedToken object with "content".</summary>
    private static string TokenText(JsonElement? config, string name)
    {
        if (config is not { } c || !c.TryGetProperty(name, out var v))
        {
            return "";
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.Object when v.TryGetProperty("content", out var content) => content.GetString() ?? "",
            _ => "",
        };
    }
}
