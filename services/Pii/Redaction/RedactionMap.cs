using System.Text;

namespace HybridAI.Pii.Redaction;

/// <summary>
/// The placeholders of one request: each distinct value of a type gets one typed placeholder (<c>&lt;PERSON_1&gt;</c>),
/// the same across all messages of the request, so a model can refer to it and the answer can be restored.
/// Holds raw values: it lives only in the request's memory and is never logged or stored.
/// </summary>
public sealed class RedactionMap
{
    private readonly Dictionary<string, string> _originals = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Value), string> _placeholders = [];
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    public int Count => _originals.Count;

    /// <summary>The placeholders issued, with their types (for receipts: types only, never values).</summary>
    public IEnumerable<string> Placeholders => _originals.Keys;

    /// <summary>The placeholder for a value, issuing the next number for its type the first time.</summary>
    public string PlaceholderFor(string type, string value)
    {
        if (_placeholders.TryGetValue((type, value), out var placeholder))
        {
            return placeholder;
        }

        var n = _counters[type] = _counters.GetValueOrDefault(type) + 1;
        placeholder = $"<{type}_{n}>";
        _placeholders[(type, value)] = placeholder;
        _originals[placeholder] = value;
        return placeholder;
    }

    public bool TryGetOriginal(ReadOnlySpan<char> placeholder, out string original) =>
        _originals.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(placeholder, out original!);

    /// <summary>Replaces every known placeholder in <paramref name="text"/> by its original value.</summary>
    public string Restore(string text)
    {
        if (_originals.Count == 0 || !text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('<', i);
            if (open < 0)
            {
                builder.Append(text, i, text.Length - i);
                break;
            }

            builder.Append(text, i, open - i);
            var close = text.IndexOf('>', open + 1);
            if (close > open && close - open <= 48 && TryGetOriginal(text.AsSpan(open, close - open + 1), out var original))
            {
                builder.Append(original);
                i = close + 1;
            }
            else
            {
                builder.Append('<');
                i = open + 1;
            }
        }

        return builder.ToString();
    }
}
