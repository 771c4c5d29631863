using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace HybridAI.SlmInference.Core.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> with a BPE model, as generators use: byte-level BPE (GPT-2, Qwen, Llama 3) and
/// SentencePiece-style BPE with byte fallback (Llama 2, Mistral, Phi-3). Added tokens are matched before anything else;
/// the normaliser, pre-tokeniser, post-processor and decoder are the subset those families use, and anything else is
/// refused at load with its name (<see cref="TokenizerJson"/>). Thread-safe.
/// </summary>
public sealed partial class BpeTokenizer
{
    private const int CacheLimit = 50_000;

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<(string, string), int> _merges;
    private readonly string[] _idToToken;
    private readonly byte[][] _tokenBytes;
    private readonly AddedToken[] _addedByLength;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly TokenizerJson _spec;

    internal BpeTokenizer(TokenizerJson spec)
    {
        _spec = spec;
        _vocabulary = spec.Vocabulary;
        _merges = spec.Merges;
        var size = Math.Max(_vocabulary.Count == 0 ? 0 : _vocabulary.Values.Max() + 1, spec.AddedTokens.Count == 0 ? 0 : spec.AddedTokens.Max(a => a.Id) + 1);
        _idToToken = new string[size];
        foreach (var (token, id) in _vocabulary)
        {
            _idToToken[id] = token;
        }

        foreach (var added in spec.AddedTokens)
        {
            _idToToken[added.Id] = added.Content;
        }

        _addedByLength = [.. spec.AddedTokens.OrderByDescending(a => a.Content.Length)];
        _tokenBytes = new byte[size][];
        for (var id = 0; id < size; id++)
        {
            _tokenBytes[id] = TokenToBytes(id);
        }

        SpecialIds = spec.AddedTokens.Where(a => a.Special).Select(a => a.Id).ToHashSet();
    }

    /// <summary>Number of ids (vocabulary plus added tokens).</summary>
    public int VocabularySize => _idToToken.Length;

    /// <summary>Ids of added tokens marked special (decoded as nothing in streamed text).</summary>
    public IReadOnlySet<int> SpecialIds { get; }

    /// <summary>Reads a <c>tokenizer.json</c>; unsupported components fail with their names.</summary>
    public static BpeTokenizer FromFile(string path) => new(TokenizerJson.Read(path));

    /// <summary>The id of a vocabulary entry or added token, or <see langword="null"/>.</summary>
    public int? TokenToId(string token) =>
        _spec.AddedTokens.FirstOrDefault(a => a.Content == token) is { } added ? added.Id
        : _vocabulary.TryGetValue(token, out var id) ? id : null;

    /// <summary>The vocabulary string of <paramref name="id"/>.</summary>
    public string IdToToken(int id) => _idToToken[id] ?? "";

    /// <summary>
    /// Encodes <paramref name="text"/>. Added tokens in the text become their ids (chat templates rely on it);
    /// <paramref name="addSpecialTokens"/> applies the post-processor (e.g. Llama's leading <c>&lt;s&gt;</c>).
    /// </summary>
    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        if (addSpecialTokens)
        {
            ids.AddRange(_spec.PrefixIds);
        }

        var segmentStart = 0;
        var first = true;
        for (var i = 0; i < text.Length;)
        {
            var added = MatchAdded(text, i);
            if (added is null)
            {
                i++;
                continue;
            }

            EncodeSegment(text[segmentStart..i], first, ids);
            first = false;
            ids.Add(added.Id);
            i += added.Content.Length;
            segmentStart = i;
        }

        EncodeSegment(text[segmentStart..], first, ids);
        if (addSpecialTokens)
        {
            ids.AddRange(_spec.SuffixIds);
        }

        return [.. ids];
    }

    /// <summary>The UTF-8 bytes <paramref name="id"/> stands for (special tokens: their content).</summary>
    public ReadOnlySpan<byte> TokenBytes(int id) => _tokenBytes[id];

    /// <summary>Whether decoding drops one leading space from a text's first token (SentencePiece's Strip decoder).</summary>
    public bool StripsLeadingSpace => _spec.DecoderStripsLeadingSpace;

    /// <summary>Decodes ids to text, skipping special tokens when asked (as HF's <c>decode</c>).</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (skipSpecialTokens && SpecialIds.Contains(id))
            {
                continue;
            }

            bytes.AddRange(_tokenBytes[id]);
        }

        var text = Encoding.UTF8.GetString([.. bytes]);
        return StripsLeadingSpace && text.StartsWith(' ') ? text[1..] : text;
    }

    private AddedToken? MatchAdded(string text, int position)
    {
        foreach (var added in _addedByLength)
        {
            if (string.CompareOrdinal(text, position, added.Content, 0, added.Content.Length) == 0)
            {
                return added;
            }
        }

        return null;
    }

    private void EncodeSegment(string segment, bool first, List<int> ids)
    {
        if (segment.Length == 0)
        {
            return;
        }

        var normalised = _spec.Normalise(segment);
        foreach (var piece in _spec.PreTokenise(normalised, first))
        {
            if (piece.Length > 0)
            {
                ids.AddRange(EncodePiece(piece));
            }
        }
    }

    private int[] EncodePiece(string piece)
    {
        if (_cache.TryGetValue(piece, out var cached))
        {
            return cached;
        }

        int[] ids;
        if (_spec.IgnoreMerges && _vocabulary.TryGetValue(piece, out var whole))
        {
            ids = [whole];
        }
        else
        {
            ids = [.. Symbols(Merge(Split(piece)))];
        }

        if (_cache.Count < CacheLimit)
        {
            _cache.TryAdd(piece, ids);
        }

        return ids;
    }

    /// <summary>The initial symbols: one per character (byte-level) or per Unicode scalar (SentencePiece).</summary>
    private static List<string> Split(string piece)
    {
        var symbols = new List<string>(piece.Length);
        foreach (var rune in piece.EnumerateRunes())
        {
            symbols.Add(rune.ToString());
        }

        return symbols;
    }

    /// <summary>Applies merges by rank, lowest first and leftmost among equals, until none applies.</summary>
    private List<string> Merge(List<string> symbols)
    {
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            var bestAt = -1;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (_merges.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    bestAt = i;
                }
            }

            if (bestAt < 0)
            {
                break;
            }

            symbols[bestAt] = symbols[bestAt] + symbols[bestAt + 1];
            symbols.RemoveAt(bestAt + 1);
        }

        return symbols;
    }

    private IEnumerable<int> Symbols(List<string> symbols)
    {
        var previousUnknown = false;
        foreach (var symbol in symbols)
        {
            if (_vocabulary.TryGetValue(symbol, out var id))
            {
                previousUnknown = false;
                yield return id;
                continue;
            }

            if (_spec.ByteFallback)
            {
                foreach (var b in Encoding.UTF8.GetBytes(symbol))
                {
                    if (_vocabulary.TryGetValue($"<0x{b:X2}>", out var byteId))
                    {
                        yield return byteId;
                    }
                    else if (_spec.UnknownId is { } unknown)
                    {
                        yield return unknown;
                    }
                }

                previousUnknown = false;
                continue;
            }

            if (_spec.UnknownId is { } unk)
            {
                if (!(previousUnknown && _spec.FuseUnknown))
                {
                    yield return unk;
                }

                previousUnknown = true;
                continue;
            }

            throw new InvalidOperationException($"'{symbol}' is not in the vocabulary and the tokenizer has no unknown token or byte fallback.");
        }
    }

    private byte[] TokenToBytes(int id)
    {
        var token = _idToToken[id];
        if (token is null)
        {
            return [];
        }

        if (_spec.AddedTokens.Any(a => a.Id == id))
        {
            return Encoding.UTF8.GetBytes(token);
        }

        if (_spec.ByteLevel)
        {
            var bytes = new List<byte>(token.Length);
            foreach (var c in token)
            {
                if (ByteLevelAlphabet.CharToByte.TryGetValue(c, out var b))
                {
                    bytes.Add(b);
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                }
            }

            return [.. bytes];
        }

        if (_spec.ByteFallback && ByteToken().Match(token) is { Success: true } match)
        {
            return [Convert.ToByte(match.Groups[1].Value, 16)];
        }

        return Encoding.UTF8.GetBytes(token.Replace(_spec.MetaspaceReplacement, ' '));
    }

    [GeneratedRegex("^<0x([0-9A-Fa-f]{2})>$")]
    private static partial Regex ByteToken();
}
