using System.Text.Json.Nodes;
using HybridAI.SlmInference.Core.Tokenization;
using HybridAI.Testing.Models;

namespace HybridAI.SlmInference.Tests.Tokenization;

public sealed class BpeTokenizerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hybridai-bpe-tests-").FullName;

    [Fact]
    public void ByteLevelBpeAppliesMergesAndMatchesAddedTokensFirst()
    {
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(new TinyDecoder().WriteTo(Path.Combine(_folder, "tiny")), "tokenizer.json"));
        Assert.Equal([259, 264], tokenizer.Encode("hello world"));
        Assert.Equal([TinyDecoder.ImStart, 117, 115, 101, 114, 10, 259, TinyDecoder.ImEnd], tokenizer.Encode("<|im_start|>user\nhello<|im_end|>"));
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("Grüße, 世界! 🙂 tabs\tand\nlines")]
    [InlineData("  leading and trailing  ")]
    public void ByteLevelBpeRoundTripsAnyText(string text)
    {
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(new TinyDecoder().WriteTo(Path.Combine(_folder, "tiny")), "tokenizer.json"));
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void SentencePieceStyleBpeUsesByteFallbackAndTheTemplatePostProcessor()
    {
        var tokenizer = BpeTokenizer.FromFile(WriteSentencePiece());
        var ids = tokenizer.Encode("hello hé", addSpecialTokens: true);
        // <s>, ▁hello, ▁h, <0xC3>, <0xA9>
        Assert.Equal([1, 269, 264, 3 + 0xC3, 3 + 0xA9], ids);
        Assert.Equal("hello hé", tokenizer.Decode(ids));
        Assert.Equal([269], tokenizer.Encode("hello"));
    }

    [Fact]
    public void UnsupportedComponentsFailAtLoadNamingThemAndTheFile()
    {
        var path = WriteSentencePiece(root => root["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" });
        var error = Assert.Throws<InvalidDataException>(() => BpeTokenizer.FromFile(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("BertPreTokenizer", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A Llama 2 style tokenizer.json: ▁ for spaces, byte fallback, &lt;s&gt; prepended by the post-processor.</summary>
    private string WriteSentencePiece(Action<JsonObject>? change = null)
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (var b = 0; b < 256; b++)
        {
            vocab[$"<0x{b:X2}>"] = 3 + b;
        }

        string[] pieces = ["▁", "h", "e", "l", "o", "▁h", "he", "ll", "▁he", "▁hell", "▁hello"];
        for (var i = 0; i < pieces.Length; i++)
        {
            vocab[pieces[i]] = 259 + i;
        }

        var root = new JsonObject
        {
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 0, ["content"] = "<unk>", ["special"] = true },
                new JsonObject { ["id"] = 1, ["content"] = "<s>", ["special"] = true },
                new JsonObject { ["id"] = 2, ["content"] = "</s>", ["special"] = true }),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Prepend", ["prepend"] = "▁" },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" }),
            },
            ["pre_tokenizer"] = null,
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(
                    new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<s>", ["type_id"] = 0 } },
                    new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                ["special_tokens"] = new JsonObject { ["<s>"] = new JsonObject { ["id"] = "<s>", ["ids"] = new JsonArray(1), ["tokens"] = new JsonArray("<s>") } },
            },
            ["decoder"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" },
                    new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 0 }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["unk_token"] = "<unk>",
                ["byte_fallback"] = true,
                ["fuse_unk"] = true,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray("▁ h", "h e", "l l", "▁h e", "▁he ll", "▁hell o"),
            },
        };
        change?.Invoke(root);
        var path = Path.Combine(_folder, $"sp-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
