using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HybridAI.Testing.Onnx;

namespace HybridAI.Testing.Models;

/// <summary>
/// A decoder-only model small enough to predict, written as a Hugging Face Optimum-style folder (model.onnx with
/// past_key_values.N.key/value inputs and present.N.* outputs, tokenizer.json, config.json, generation_config.json,
/// tokenizer_config.json). Per layer: k = h, v = h·Wv, the cache is the concatenation of past and new k/v, and
/// h ← h + α·Σ_{i≤t}(k_i + v_i); logits = h·U + S[position]. <see cref="Logits"/> computes the same thing in C#.
/// The tokenizer is byte-level BPE (GPT-2 style) over the 256 bytes plus a few merges and ChatML special tokens.
/// </summary>
public sealed class TinyDecoder
{
    public const int EndOfText = 265;
    public const int ImStart = 266;
    public const int ImEnd = 267;
    public const int VocabularySize = 268;
    public const float Alpha = 0.25f;

    private static readonly (string Left, string Right)[] MergeList =
        [("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o"), ("Ġ", "w"), ("o", "r"), ("Ġw", "or"), ("l", "d"), ("Ġwor", "ld")];

    private readonly float[] _embeddings;
    private readonly float[] _positions;
    private readonly float[][] _values;
    private readonly float[] _unembedding;
    private readonly float[] _script;

    public TinyDecoder(TinyDecoderOptions? options = null)
    {
        Options = options ?? new TinyDecoderOptions();
        var random = new Random(Options.Seed);
        var d = Options.Hidden;
        float[] Weights(int count) => Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * Options.WeightScale)).ToArray();
        _embeddings = Weights(VocabularySize * d);
        _positions = Weights(Options.ContextWindow * d);
        _values = Enumerable.Range(0, Options.Layers).Select(_ => Weights(d * d)).ToArray();
        _unembedding = Weights(d * VocabularySize);
        _script = new float[Options.ContextWindow * VocabularySize];
        foreach (var (position, token) in Options.Script)
        {
            _script[(position * VocabularySize) + token] = Options.ScriptStrength;
        }
    }

    public TinyDecoderOptions Options { get; }

    /// <summary>The token strings of the vocabulary (byte-level characters for ids 0–255, merges, then specials).</summary>
    public static IReadOnlyList<string> Tokens { get; } = BuildTokens();

    /// <summary>Writes the model folder into <paramref name="folder"/> (created) and returns it.</summary>
    public string WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        BuildGraph().Save(Path.Combine(folder, "model.onnx"));
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), TokenizerJson());
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model_type"] = "tiny-decoder",
            ["num_hidden_layers"] = Options.Layers,
            ["num_attention_heads"] = 1,
            ["num_key_value_heads"] = 1,
            ["hidden_size"] = Options.Hidden,
            ["max_position_embeddings"] = Options.ContextWindow,
            ["vocab_size"] = VocabularySize,
            ["eos_token_id"] = EndOfText,
        }));
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), """{"eos_token_id": [265, 267], "do_sample": false}""");
        var tokenizerConfig = new JsonObject { ["eos_token"] = "<|im_end|>", ["bos_token"] = null };
        if (Options.ChatTemplate)
        {
            tokenizerConfig["chat_template"] = ChatMlTemplate;
        }

        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), tokenizerConfig.ToJsonString());
        return folder;
    }

    /// <summary>A ChatML template of the kind Qwen models ship (system default, im_start/im_end turns).</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}" +
        "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    /// <summary>The model's logits after the last token of <paramref name="sequence"/>, computed in C# (double precision).</summary>
    public double[] Logits(IReadOnlyList<int> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var d = Options.Hidden;
        var t = sequence.Count;
        var h = new double[t][];
        for (var i = 0; i < t; i++)
        {
            h[i] = new double[d];
            for (var j = 0; j < d; j++)
            {
                h[i][j] = _embeddings[(sequence[i] * d) + j] + _positions[(i * d) + j];
            }
        }

        foreach (var wv in _values)
        {
            var sum = new double[d];
            var next = new double[t][];
            for (var i = 0; i < t; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    var v = 0d;
                    for (var k = 0; k < d; k++)
                    {
                        v += h[i][k] * wv[(k * d) + j];
                    }

                    sum[j] += h[i][j] + v;
                }

                next[i] = new double[d];
                for (var j = 0; j < d; j++)
                {
                    next[i][j] = h[i][j] + (Alpha * sum[j]);
                }
            }

            h = next;
        }

        var last = h[t - 1];
        var logits = new double[VocabularySize];
        for (var v = 0; v < VocabularySize; v++)
        {
            var z = (double)_script[((t - 1) * VocabularySize) + v];
            for (var j = 0; j < d; j++)
            {
                z += last[j] * _unembedding[(j * VocabularySize) + v];
            }

            logits[v] = z;
        }

        return logits;
    }

    private OnnxGraphBuilder BuildGraph()
    {
        var d = Options.Hidden;
        var cacheType = Options.Float16Cache ? OnnxType.Float16 : OnnxType.Float;
        var g = new OnnxGraphBuilder("tiny-decoder");
        g.Input("input_ids", OnnxType.Int64, "batch_size", "sequence_length");
        g.Input("attention_mask", OnnxType.Int64, "batch_size", "total_sequence_length");
        g.Input("position_ids", OnnxType.Int64, "batch_size", "sequence_length");
        g.Constant("E", _embeddings, VocabularySize, d);
        g.Constant("P", _positions, Options.ContextWindow, d);
        g.Constant("U", _unembedding, d, VocabularySize);
        g.Constant("S", _script, Options.ContextWindow, VocabularySize);
        g.Constant("alpha", [Alpha], 1);
        g.Constant("axis0", [0L], 1);
        g.Constant("axis1", [1L], 1);
        g.Constant("one", [1L], []);
        g.Constant("max", [long.MaxValue], 1);
        g.Constant("axes2", [2L], 1);

        var h = g.Node("Add", [g.Node("Gather", ["E", "input_ids"]), g.Node("Gather", ["P", "position_ids"])]);
        // The number of new tokens, as a 1-D tensor, to keep only their rows of the cumulative sums.
        var newTokens = g.Node("Unsqueeze", [g.Node("Gather", [g.Node("Shape", ["input_ids"]), "one"]), "axis0"]);
        var start = g.Node("Neg", [newTokens]);
        for (var layer = 0; layer < Options.Layers; layer++)
        {
            g.Constant($"Wv{layer}", _values[layer], d, d);
            var pastKey = g.Input($"past_key_values.{layer}.key", cacheType, "batch_size", 1, "past_sequence_length", d);
            var pastValue = g.Input($"past_key_values.{layer}.value", cacheType, "batch_size", 1, "past_sequence_length", d);
            var key = g.Node("Unsqueeze", [h, "axis1"]);
            var value = g.Node("Unsqueeze", [g.Node("MatMul", [h, $"Wv{layer}"]), "axis1"]);
            var presentKey = g.Node("Concat", [Widen(g, pastKey), key], attributes: ("axis", 2L));
            var presentValue = g.Node("Concat", [Widen(g, pastValue), value], attributes: ("axis", 2L));
            Narrow(g, presentKey, $"present.{layer}.key");
            Narrow(g, presentValue, $"present.{layer}.value");
            g.Output($"present.{layer}.key", cacheType, "batch_size", 1, "total_sequence_length", d);
            g.Output($"present.{layer}.value", cacheType, "batch_size", 1, "total_sequence_length", d);
            var sums = g.Node("CumSum", [g.Node("Add", [presentKey, presentValue]), "axes2"]);
            var recent = g.Node("Squeeze", [g.Node("Slice", [sums, start, "max", "axes2"]), "axis1"]);
            h = g.Node("Add", [h, g.Node("Mul", [recent, "alpha"])]);
        }

        g.Node("Add", [g.Node("MatMul", [h, "U"]), g.Node("Gather", ["S", "position_ids"])], "logits");
        g.Output("logits", OnnxType.Float, "batch_size", "sequence_length", VocabularySize);
        return g;

        string Widen(OnnxGraphBuilder b, string past) => Options.Float16Cache ? b.Node("Cast", [past], attributes: ("to", (long)OnnxType.Float)) : past;

        void Narrow(OnnxGraphBuilder b, string present, string output)
        {
            if (Options.Float16Cache)
            {
                b.Node("Cast", [present], output, ("to", (long)OnnxType.Float16));
            }
            else
            {
                b.Node("Identity", [present], output);
            }
        }
    }

    private static List<string> BuildTokens()
    {
        var tokens = new List<string>();
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            tokens.Add(((char)(printable ? b : next++)).ToString());
        }

        tokens.AddRange(MergeList.Select(m => m.Left + m.Right));
        tokens.AddRange(["<|endoftext|>", "<|im_start|>", "<|im_end|>"]);
        return tokens;
    }

    private static string TokenizerJson()
    {
        var vocab = new JsonObject();
        for (var id = 0; id < 265; id++)
        {
            vocab[Tokens[id]] = id;
        }

        var added = new JsonArray();
        for (var id = 265; id < VocabularySize; id++)
        {
            added.Add(new JsonObject { ["id"] = id, ["content"] = Tokens[id], ["special"] = true, ["normalized"] = false });
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["post_processor"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = true },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. MergeList.Select(m => (JsonNode)JsonValue.Create($"{m.Left} {m.Right}"))]),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The UTF-8 text of <paramref name="tokens"/> under this vocabulary (specials as their content).</summary>
    public static string Decode(IEnumerable<int> tokens)
    {
        var bytes = new List<byte>();
        foreach (var id in tokens)
        {
            if (id >= 265)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(Tokens[id]));
                continue;
            }

            foreach (var c in Tokens[id])
            {
                bytes.Add((byte)Enumerable.Range(0, 256).First(b => Tokens[b][0] == c));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
