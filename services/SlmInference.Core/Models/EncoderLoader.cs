using System.Text.Json;
using HybridAI.SlmInference.Core.Encoders;
using HybridAI.SlmInference.Core.Runtime;
using HybridAI.SlmInference.Core.Tokenization;

namespace HybridAI.SlmInference.Core.Models;

/// <summary>Opens a sentence-encoder folder: <c>model.onnx</c> with <c>vocab.txt</c> or a WordPiece <c>tokenizer.json</c>.</summary>
public static class EncoderLoader
{
    /// <summary>Loads and warms up the encoder in <paramref name="folder"/>; a missing or corrupt file is named in the error.</summary>
    public static EncoderModel Load(OnnxSessionFactory factory, string name, string folder, int maxSequenceLength = 0)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var modelPath = Path.Combine(folder, "model.onnx");
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Encoder '{name}': {modelPath} does not exist.", modelPath);
        }

        var tokenizer = LoadTokenizer(name, folder);
        var window = maxSequenceLength > 0 ? maxSequenceLength : ReadWindow(folder);
        var sha = ModelFiles.Sha256(modelPath);
        var session = factory.Create(modelPath);
        try
        {
            var encoder = new EncoderModel(name, session, tokenizer, window, sha, factory.Resolution.ExecutionProvider);
            WarmUp(encoder);
            return encoder;
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            session.Dispose();
            throw new InvalidDataException($"Encoder '{name}': {modelPath} failed its warm-up run: {e.Message}", e);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>One run at the shapes traffic uses, so the first request does not pay for kernel selection and allocation.</summary>
    private static void WarmUp(EncoderModel encoder)
    {
        var text = encoder.Tokenize("Warm-up sentence for the encoder.");
        var batch = new[] { text, text };
        encoder.Embed(batch, new float[batch.Length * encoder.Dimensions]);
    }

    private static BertTokenizer LoadTokenizer(string name, string folder)
    {
        var vocab = Path.Combine(folder, "vocab.txt");
        var json = Path.Combine(folder, "tokenizer.json");
        try
        {
            if (File.Exists(json))
            {
                return BertTokenizer.FromTokenizerJson(json);
            }

            if (File.Exists(vocab))
            {
                return BertTokenizer.FromVocabularyFile(vocab, ReadOptions(folder));
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or KeyNotFoundException)
        {
            throw new InvalidDataException($"Encoder '{name}': the tokenizer in {folder} cannot be read: {e.Message}", e);
        }

        throw new FileNotFoundException($"Encoder '{name}': {folder} has neither vocab.txt nor tokenizer.json.", vocab);
    }

    /// <summary>tokenizer_config.json's <c>do_lower_case</c> and <c>strip_accents</c>, when present.</summary>
    private static BertTokenizerOptions ReadOptions(string folder)
    {
        var options = new BertTokenizerOptions();
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
        {
            return options;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        if (root.TryGetProperty("do_lower_case", out var lower) && lower.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            options = options with { LowerCase = lower.GetBoolean() };
        }

        if (root.TryGetProperty("strip_accents", out var strip) && strip.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            options = options with { StripAccents = strip.GetBoolean() };
        }

        return options;
    }

    /// <summary>sentence_bert_config.json's <c>max_seq_length</c>, else config.json's <c>max_position_embeddings</c>, else 512.</summary>
    private static int ReadWindow(string folder)
    {
        foreach (var (file, key) in new[] { ("sentence_bert_config.json", "max_seq_length"), ("config.json", "max_position_embeddings") })
        {
            var path = Path.Combine(folder, file);
            if (File.Exists(path))
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                if (document.RootElement.TryGetProperty(key, out var value) && value.TryGetInt32(out var window) && window >= 2)
                {
                    return window;
                }
            }
        }

        return 512;
    }
}
