using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HybridAI.SlmInference.Core.Tokenization;

/// <summary>An added token of <c>tokenizer.json</c> (e.g. <c>&lt;|im_start|&gt;</c>).</summary>
public sealed record AddedToken(int Id, string Content, bool Special);

/// <summary>
/// The parts of a BPE <c>tokenizer.json</c> that HybridAI supports, read strictly: an unsupported normaliser,
/// pre-tokeniser, model option or post-processor fails at load naming it, instead of tokenising differently from the
/// model's training.
/// </summary>
internal sealed partial class TokenizerJson
{
    private readonly List<Func<string, string>> _normalisers = [];
    private readonly List<PreTokeniser> _preTokenisers = [];

    public Dictionary<string, int> Vocabulary { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string, string), int> Merges { get; } = [];

    public List<AddedToken> AddedTokens { get; } = [];

    public bool ByteLevel { get; private set; }

    public bool ByteFallback { get; private set; }

    public bool FuseUnknown { get; private set; }

    public bool IgnoreMerges { get; private set; }

    public int? UnknownId { get; private set; }

    public char MetaspaceReplacement { get; private set; } = '▁';

    public bool DecoderStripsLeadingSpace { get; private set; }

    public List<int> PrefixIds { get; } = [];

    public List<int> SuffixIds { get; } = [];

    public static TokenizerJson Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var spec = new TokenizerJson();
            spec.Load(document.RootElement);
            return spec;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public string Normalise(string text)
    {
        foreach (var normaliser in _normalisers)
        {
            text = normaliser(text);
        }

        return text;
    }

    public IEnumerable<string> PreTokenise(string text, bool firstSegment)
    {
        IEnumerable<string> pieces = [text];
        foreach (var step in _preTokenisers)
        {
            pieces = pieces.SelectMany(p => step(p, firstSegment)).ToList();
        }

        return pieces;
    }

    private delegate IEnumerable<string> PreTokeniser(string text, bool firstSegment);

    private void Load(JsonElement root)
    {
        var model = root.GetProperty("model");
        var type = Text(model, "type");
        if (type != "BPE")
        {
            throw new NotSupportedException($"tokenizer model '{type}' is not supported for generators (BPE is).");
        }

        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
        {
            Vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        var rank = 0;
        foreach (var merge in model.GetProperty("merges").EnumerateArray())
        {
            var (left, right) = merge.ValueKind == JsonValueKind.Array
                ? (merge[0].GetString()!, merge[1].GetString()!)
                : SplitMerge(merge.GetString()!);
            Merges.TryAdd((left, right), rank++);
        }

        ByteFallback = Flag(model, "byte_fallback");
        FuseUnknown = Flag(model, "fuse_unk");
        IgnoreMerges = Flag(model, "ignore_merges");
        foreach (var unsupported in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (model.TryGetProperty(unsupported, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0)
            {
                throw new NotSupportedException($"BPE option '{unsupported}' is not supported.");
            }
        }

        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
        {
            throw new NotSupportedException("BPE dropout is a training option and is not supported at inference.");
        }

        if (root.TryGetProperty("added_tokens", out var added))
        {
            foreach (var token in added.EnumerateArray())
            {
                AddedTokens.Add(new AddedToken(token.GetProperty("id").GetInt32(), token.GetProperty("content").GetString()!, Flag(token, "special")));
            }
        }

        if (model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String)
        {
            UnknownId = Vocabulary.TryGetValue(unk.GetString()!, out var id) ? id : AddedTokens.FirstOrDefault(a => a.Content == unk.GetString())?.Id;
        }

        LoadNormaliser(Element(root, "normalizer"));
        LoadPreTokeniser(Element(root, "pre_tokenizer"));
        LoadDecoder(Element(root, "decoder"));
        LoadPostProcessor(Element(root, "post_processor"));
    }

    private static (string, string) SplitMerge(string merge)
    {
        var space = merge.IndexOf(' ', 1);
        return space < 0 ? throw new InvalidOperationException($"merge '{merge}' has no space") : (merge[..space], merge[(space + 1)..]);
    }

    private void LoadNormaliser(JsonElement? element)
    {
        if (element is not { } n)
        {
            return;
        }

        switch (Text(n, "type"))
        {
            case "Sequence":
                foreach (var child in n.GetProperty("normalizers").EnumerateArray())
                {
                    LoadNormaliser(child);
                }

                break;
            case "NFC":
                _normalisers.Add(t => t.Normalize(NormalizationForm.FormC));
                break;
            case "NFKC":
                _normalisers.Add(t => t.Normalize(NormalizationForm.FormKC));
                break;
            case "Prepend":
                var prefix = Text(n, "prepend");
                _normalisers.Add(t => prefix + t);
                break;
            case "Replace":
                var (pattern, isRegex) = Pattern(n);
                var content = Text(n, "content");
                _normalisers.Add(isRegex ? t => Regex.Replace(t, pattern, content) : t => t.Replace(pattern, content, StringComparison.Ordinal));
                break;
            case var other:
                throw new NotSupportedException($"normalizer '{other}' is not supported (NFC, NFKC, Prepend, Replace and Sequence are).");
        }
    }

    private void LoadPreTokeniser(JsonElement? element)
    {
        if (element is not { } p)
        {
            return;
        }

        switch (Text(p, "type"))
        {
            case "Sequence":
                foreach (var child in p.GetProperty("pretokenizers").EnumerateArray())
                {
                    LoadPreTokeniser(child);
                }

                break;
            case "ByteLevel":
                ByteLevel = true;
                var addPrefixSpace = Flag(p, "add_prefix_space");
                var useRegex = !p.TryGetProperty("use_regex", out var ur) || ur.GetBoolean();
                _preTokenisers.Add((text, _) => ByteLevelSplit(addPrefixSpace && !text.StartsWith(' ') ? " " + text : text, useRegex));
                break;
            case "Split":
                var (pattern, isRegex) = Pattern(p);
                var regex = new Regex(isRegex ? pattern : Regex.Escape(pattern), RegexOptions.CultureInvariant);
                var behavior = Text(p, "behavior");
                if (Flag(p, "invert") || behavior is not ("Isolated" or "Removed"))
                {
                    throw new NotSupportedException($"Split pre-tokenizer with behavior '{behavior}'{(Flag(p, "invert") ? " and invert" : "")} is not supported (Isolated and Removed are).");
                }

                var keep = behavior == "Isolated";
                _preTokenisers.Add((text, _) => SplitByRegex(text, regex, keep));
                break;
            case "Metaspace":
                MetaspaceReplacement = Text(p, "replacement")[0];
                var scheme = p.TryGetProperty("prepend_scheme", out var ps) ? ps.GetString() : (Flag(p, "add_prefix_space") ? "always" : "never");
                var split = !p.TryGetProperty("split", out var sp) || sp.GetBoolean();
                var replacement = MetaspaceReplacement;
                _preTokenisers.Add((text, first) => Metaspace(text, replacement, scheme == "always" || (scheme == "first" && first), split));
                break;
            case "Digits":
                var individual = Flag(p, "individual_digits");
                _preTokenisers.Add((text, _) => SplitByRegex(text, individual ? SingleDigit() : DigitRun(), keep: true));
                break;
            case var other:
                throw new NotSupportedException($"pre_tokenizer '{other}' is not supported (ByteLevel, Split, Metaspace, Digits and Sequence are).");
        }
    }

    private void LoadDecoder(JsonElement? element)
    {
        if (element is not { } d)
        {
            return;
        }

        switch (Text(d, "type"))
        {
            case "Sequence":
                foreach (var child in d.GetProperty("decoders").EnumerateArray())
                {
                    LoadDecoder(child);
                }

                break;
            case "ByteLevel":
                ByteLevel = true;
                break;
            case "Strip":
                DecoderStripsLeadingSpace = d.TryGetProperty("start", out var start) && start.GetInt32() > 0;
                break;
            case "Metaspace":
                var scheme = d.TryGetProperty("prepend_scheme", out var ps) ? ps.GetString() : (Flag(d, "add_prefix_space") ? "always" : "never");
                DecoderStripsLeadingSpace = scheme is "always" or "first";
                break;
            case "Replace" or "ByteFallback" or "Fuse":
                // Token bytes are computed per id: ▁ becomes a space, <0xNN> a byte, and pieces concatenate.
                break;
            case var other:
                throw new NotSupportedException($"decoder '{other}' is not supported (ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip and Sequence are).");
        }
    }

    private void LoadPostProcessor(JsonElement? element)
    {
        if (element is not { } p)
        {
            return;
        }

        switch (Text(p, "type"))
        {
            case "ByteLevel":
                break;
            case "Sequence":
                foreach (var child in p.GetProperty("processors").EnumerateArray())
                {
                    LoadPostProcessor(child);
                }

                break;
            case "TemplateProcessing":
                var before = true;
                foreach (var item in p.GetProperty("single").EnumerateArray())
                {
                    if (item.TryGetProperty("Sequence", out _))
                    {
                        before = false;
                        continue;
                    }

                    var special = item.GetProperty("SpecialToken").GetProperty("id").GetString()!;
                    var ids = p.GetProperty("special_tokens").GetProperty(special).GetProperty("ids").EnumerateArray().Select(i => i.GetInt32());
                    (before ? PrefixIds : SuffixIds).AddRange(ids);
                }

                break;
            case var other:
                throw new NotSupportedException($"post_processor '{other}' is not supported (TemplateProcessing, ByteLevel and Sequence are).");
        }
    }

    private static IEnumerable<string> ByteLevelSplit(string text, bool useRegex)
    {
        var pieces = useRegex ? Gpt2Pattern().Matches(text).Select(m => m.Value) : [text];
        foreach (var piece in pieces)
        {
            var bytes = Encoding.UTF8.GetBytes(piece);
            var chars = new char[bytes.Length];
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[i] = ByteLevelAlphabet.ByteToChar[bytes[i]];
            }

            yield return new string(chars);
        }
    }

    private static IEnumerable<string> SplitByRegex(string text, Regex regex, bool keep)
    {
        var last = 0;
        foreach (Match match in regex.Matches(text))
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > last)
            {
                yield return text[last..match.Index];
            }

            if (keep)
            {
                yield return match.Value;
            }

            last = match.Index + match.Length;
        }

        if (last < text.Length)
        {
            yield return text[last..];
        }
    }

    private static IEnumerable<string> Metaspace(string text, char replacement, bool prepend, bool split)
    {
        text = text.Replace(' ', replacement);
        if (prepend && !text.StartsWith(replacement))
        {
            text = replacement + text;
        }

        if (!split)
        {
            yield return text;
            yield break;
        }

        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == replacement)
            {
                yield return text[start..i];
                start = i;
            }
        }

        yield return text[start..];
    }

    private static (string Pattern, bool IsRegex) Pattern(JsonElement element)
    {
        var pattern = element.GetProperty("pattern");
        return pattern.TryGetProperty("Regex", out var regex) ? (regex.GetString()!, true) : (pattern.GetProperty("String").GetString()!, false);
    }

    private static JsonElement? Element(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Object ? e : null;

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString() ?? "";

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Gpt2Pattern();

    [GeneratedRegex(@"\p{N}", RegexOptions.CultureInvariant)]
    private static partial Regex SingleDigit();

    [GeneratedRegex(@"\p{N}+", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();
}
