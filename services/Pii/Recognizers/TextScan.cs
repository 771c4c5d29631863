using System.Globalization;

namespace HybridAI.Pii.Recognizers;

/// <summary>Small helpers shared by the recognizers: boundaries, context words, digit counting.</summary>
internal static class TextScan
{
    /// <summary>True when no letter or digit touches the span on either side.</summary>
    public static bool IsStandalone(string text, int start, int end) =>
        (start == 0 || !char.IsLetterOrDigit(text[start - 1])) && (end >= text.Length || !char.IsLetterOrDigit(text[end]));

    /// <summary>True when no digit touches the span on either side.</summary>
    public static bool HasNoAdjacentDigits(string text, int start, int end) =>
        (start == 0 || !char.IsAsciiDigit(text[start - 1])) && (end >= text.Length || !char.IsAsciiDigit(text[end]));

    /// <summary>
    /// True when one of <paramref name="words"/> occurs (case-insensitively, as a word prefix) within
    /// <paramref name="before"/> characters before the span or <paramref name="after"/> characters after it.
    /// </summary>
    public static bool HasContext(string text, int start, int end, ReadOnlySpan<string> words, int before = 40, int after = 0)
    {
        var from = Math.Max(0, start - before);
        var window = text.AsSpan(from, start - from);
        foreach (var word in words)
        {
            if (ContainsWord(window, word))
            {
                return true;
            }
        }

        if (after > 0 && end < text.Length)
        {
            var tail = text.AsSpan(end, Math.Min(after, text.Length - end));
            foreach (var word in words)
            {
                if (ContainsWord(tail, word))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ContainsWord(ReadOnlySpan<char> window, string word)
    {
        var index = 0;
        while (index <= window.Length - word.Length)
        {
            var found = window[index..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            var at = index + found;
            if (at == 0 || !char.IsLetter(window[at - 1]))
            {
                return true;
            }

            index = at + 1;
        }

        return false;
    }

    /// <summary>Copies the ASCII digits of a span into <paramref name="digits"/>; returns how many there were.</summary>
    public static int Digits(ReadOnlySpan<char> span, Span<char> digits)
    {
        var n = 0;
        foreach (var c in span)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == digits.Length)
                {
                    return n + 1;
                }

                digits[n++] = c;
            }
        }

        return n;
    }

    public static int ParseInt(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
