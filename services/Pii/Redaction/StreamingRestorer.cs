using System.Text;

namespace HybridAI.Pii.Redaction;

/// <summary>
/// Restores placeholders in a token stream, where a placeholder may arrive split over several chunks
/// ("&lt;PER", "SON_1&gt;"). It holds back only a suffix that could still become a placeholder, so text flows
/// through with at most one placeholder's length of delay.
/// </summary>
public sealed class StreamingRestorer(RedactionMap map)
{
    private const int MaxPlaceholderLength = 48;
    private readonly StringBuilder _pending = new();

    /// <summary>Adds a chunk; returns the text that can be sent now (restored).</summary>
    public string Push(string chunk)
    {
        _pending.Append(chunk);
        var text = _pending.ToString();
        var hold = HeldSuffixStart(text);
        _pending.Clear();
        _pending.Append(text, hold, text.Length - hold);
        return map.Restore(text[..hold]);
    }

    /// <summary>The rest at the end of the stream.</summary>
    public string Flush()
    {
        var rest = map.Restore(_pending.ToString());
        _pending.Clear();
        return rest;
    }

    // A trailing "<" followed by placeholder characters and no ">" yet might be the start of a placeholder.
    private static int HeldSuffixStart(string text)
    {
        var open = text.LastIndexOf('<');
        if (open < 0 || text.IndexOf('>', open) >= 0 || text.Length - open > MaxPlaceholderLength)
        {
            return text.Length;
        }

        for (var i = open + 1; i < text.Length; i++)
        {
            if (!(char.IsAsciiLetterUpper(text[i]) || char.IsAsciiDigit(text[i]) || text[i] == '_'))
            {
                return text.Length;
            }
        }

        return open;
    }
}
