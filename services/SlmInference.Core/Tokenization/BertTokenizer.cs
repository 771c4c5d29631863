using System.Text.Json;

namespace HybridAI.SlmInference.Core.Tokenization;

/// <summary>
/// BERT tokenization exactly as Hugging Face's <c>BertTokenizer</c> does it: basic tokenization (cleaning, whitespace,
/// CJK and punctuation splitting, lower-casing, accent stripping), then greedy longest-match-first WordPiece.
/// Thread-safe and allocation-light (vocabulary lookups by span).
/// </summary>
public sealed class BertTokenizer
{
    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;
    private readonly string[] _idToToken;
    private readonly BasicTokenizer _basic;
    private readonly BertTokenizerOptions _options;

    private BertTokenizer(IReadOnlyList<string> tokens, BertTokenizerOptions options)
    {
        _options = options;
        _basic = new BasicTokenizer(options);
        _vocabulary = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        _idToToken = new string[tokens.Count];
        for (var id = 0; id < tokens.Count; id++)
        {
            var token = tokens[id];
            _idToToken[id] = token;
            _vocabulary.TryAdd(token, id);
            if (token.StartsWith(options.ContinuingSubwordPrefix, StringComparison.Ordinal) && token.Length > options.ContinuingSubwordPrefix.Length)
            {
                continuations.TryAdd(token[options.ContinuingSubwordPrefix.Length..], id);
            }
        }

        _words = _vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        UnknownId = Require(options.UnknownToken);
        ClassifierId = Require(options.ClassifierToken);
        SeparatorId = Require(options.SeparatorToken);
        PaddingId = _vocabulary.TryGetValue(options.PaddingToken, out var pad) ? pad : 0;
    }

    public int VocabularySize => _idToToken.Length;

    public int UnknownId { get; }

    public int ClassifierId { get; }

    public int SeparatorId { get; }

    public int PaddingId { get; }

    public BertTokenizerOptions Options => _options;

    /// <summary>Reads a <c>vocab.txt</c> (one token per line, the line number is the id).</summary>
    public static BertTokenizer FromVocabulary(Stream vocabulary, BertTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var tokens = new List<string>(32_000);
        using var reader = new StreamReader(vocabulary, leaveOpen: true);
        while (reader.ReadLine() is { } line)
        {
            // HF strips trailing whitespace only ("\n"); tokens may contain inner spaces in some vocabularies.
            tokens.Add(line.TrimEnd('\r', '\n'));
        }

        if (tokens.Count == 0)
        {
            throw new InvalidDataException("The vocabulary is empty.");
        }

        return new BertTokenizer(tokens, options ?? new BertTokenizerOptions());
    }

    /// <summary>Reads a <c>vocab.txt</c> file.</summary>
    public static BertTokenizer FromVocabularyFile(string path, BertTokenizerOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return FromVocabulary(stream, options);
    }

    /// <summary>
    /// Reads a Hugging Face <c>tokenizer.json</c> whose model is WordPiece (BERT family): vocabulary, unknown token,
    /// continuation prefix and the BertNormalizer's lower-casing, accent and CJK settings.
    /// </summary>
    public static BertTokenizer FromTokenizerJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "WordPiece")
        {
            throw new InvalidDataException($"{path}: the tokenizer model is '{type}', but an encoder needs WordPiece.");
        }

        var vocab = model.GetProperty("vocab");
        var tokens = new string[vocab.EnumerateObject().Count()];
        foreach (var entry in vocab.EnumerateObject())
        {
            tokens[entry.Value.GetInt32()] = entry.Name;
        }

        var options = new BertTokenizerOptions
        {
            UnknownToken = model.TryGetProperty("unk_token", out var unk) ? unk.GetString() ?? "[UNK]" : "[UNK]",
            ContinuingSubwordPrefix = model.TryGetProperty("continuing_subword_prefix", out var prefix) ? prefix.GetString() ?? "##" : "##",
            MaxInputCharsPerWord = model.TryGetProperty("max_input_chars_per_word", out var max) ? max.GetInt32() : 100,
        };
        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object
            && normalizer.TryGetProperty("type", out var nt) && nt.GetString() == "BertNormalizer")
        {
            var lower = !normalizer.TryGetProperty("lowercase", out var l) || l.GetBoolean();
            options = options with
            {
                LowerCase = lower,
                StripAccents = normalizer.TryGetProperty("strip_accents", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null,
                TokenizeChineseChars = !normalizer.TryGetProperty("handle_chinese_chars", out var c) || c.GetBoolean(),
            };
        }

        return new BertTokenizer(tokens, options);
    }

    /// <summary>The vocabulary entry of <paramref name="id"/>.</summary>
    public string IdToToken(int id) => _idToToken[id];

    /// <summary>The id of a vocabulary entry, or <see langword="null"/>.</summary>
    public int? TokenToId(string token) => _vocabulary.TryGetValue(token, out var id) ? id : null;

    /// <summary>
    /// Encodes one text for an encoder: <c>[CLS]</c>, WordPiece ids, <c>[SEP]</c>. A text with more than
    /// <paramref name="maxLength"/> ids keeps its first <c>maxLength - 2</c> word pieces (Hugging Face's
    /// <c>truncation=True</c> for a single sequence) and is marked truncated.
    /// </summary>
    public EncodedText Encode(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var pieces = new List<int>(Math.Min(text.Length / 3 + 4, maxLength));
        var state = new PieceSink(this, pieces, null);
        _basic.Split(text, ref state, static (string word, int start, int end, ref PieceSink sink) => sink.Add(word, start, end));
        var keep = Math.Min(pieces.Count, maxLength - 2);
        var ids = new int[keep + 2];
        ids[0] = ClassifierId;
        for (var i = 0; i < keep; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = SeparatorId;
        return new EncodedText(ids, pieces.Count > keep, pieces.Count + 2);
    }

    /// <summary>Word-piece ids of <paramref name="text"/> without special tokens, each with its span in the text.</summary>
    public IReadOnlyList<TextToken> EncodeWithOffsets(string text)
    {
        var pieces = new List<int>();
        var spans = new List<TextToken>();
        var state = new PieceSink(this, pieces, spans);
        _basic.Split(text, ref state, static (string word, int start, int end, ref PieceSink sink) => sink.Add(word, start, end));
        return spans;
    }

    /// <summary>Word pieces of <paramref name="text"/> as vocabulary strings (no special tokens).</summary>
    public IReadOnlyList<string> Tokenize(string text) =>
        [.. EncodeWithOffsets(text).Select(t => _idToToken[t.Id])];

    /// <summary>Number of ids <see cref="Encode"/> would produce without truncation (special tokens included).</summary>
    public int CountTokens(string text) => Encode(text, int.MaxValue).FullLength;

    private void AddWordPieces(string word, int start, int end, List<int> ids, List<TextToken>? spans)
    {
        if (word.Length > _options.MaxInputCharsPerWord)
        {
            Emit(UnknownId, start, end, ids, spans);
            return;
        }

        var firstPiece = ids.Count;
        var exact = word.Length == end - start;
        var position = 0;
        while (position < word.Length)
        {
            var lookup = position == 0 ? _words : _continuations;
            var length = word.Length - position;
            var found = -1;
            for (; length > 0; length--)
            {
                if (lookup.TryGetValue(word.AsSpan(position, length), out var id))
                {
                    found = id;
                    break;
                }
            }

            if (found < 0)
            {
                // One unmatched piece makes the whole word unknown.
                var removed = ids.Count - firstPiece;
                ids.RemoveRange(firstPiece, removed);
                spans?.RemoveRange(spans.Count - removed, removed);

                Emit(UnknownId, start, end, ids, spans);
                return;
            }

            var pieceStart = exact ? start + position : start;
            var pieceEnd = exact ? start + position + length : end;
            Emit(found, pieceStart, pieceEnd, ids, spans);
            position += length;
        }
    }

    private static void Emit(int id, int start, int end, List<int> ids, List<TextToken>? spans)
    {
        ids.Add(id);
        spans?.Add(new TextToken(id, start, end));
    }

    private readonly struct PieceSink(BertTokenizer owner, List<int> ids, List<TextToken>? spans)
    {
        public void Add(string word, int start, int end) => owner.AddWordPieces(word, start, end, ids, spans);
    }

    private int Require(string token) => _vocabulary.TryGetValue(token, out var id)
        ? id
        : throw new InvalidDataException($"The vocabulary has no '{token}' token.");
}
