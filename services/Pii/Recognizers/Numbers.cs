namespace HybridAI.Pii.Recognizers;

/// <summary>House numbers and postal codes next to words: "12", "12B", "45." — digits with a letter at most.</summary>
internal static class Numbers
{
    private const int MaxHouseDigits = 5;

    /// <summary>
    /// The start of the house number(s) just before <paramref name="wordStart"/> on the same line ("23 8 wressle road"
    /// starts at "23"), or null. A number glued to other digits or letters is not one.
    /// </summary>
    public static int? HouseNumberBefore(string text, int wordStart)
    {
        int? start = null;
        var p = wordStart;
        for (var n = 0; n < 2; n++)
        {
            if (NumberEndingBefore(text, p) is not { } s)
            {
                break;
            }

            start = s;
            p = s;
        }

        return start;
    }

    private static int? NumberEndingBefore(string text, int position)
    {
        var p = position - 1;
        var spaces = 0;
        while (p >= 0 && text[p] is ' ' or '\t')
        {
            p--;
            spaces++;
        }

        if (spaces == 0)
        {
            return null;
        }

        if (p > 0 && char.IsAsciiLetter(text[p]) && char.IsAsciiDigit(text[p - 1]))
        {
            p--;
        }

        var digits = 0;
        while (p >= 0 && char.IsAsciiDigit(text[p]))
        {
            p--;
            digits++;
        }

        return digits is >= 1 and <= MaxHouseDigits && (p < 0 || !char.IsLetterOrDigit(text[p]) && text[p] is not ('.' or ',' or ':' or '-' or '/' or '+' or '(' or '$' or '€' or '£' or '#'))
            ? p + 1
            : null;
    }

    /// <summary>
    /// The end of a house number after <paramref name="end"/> (one space, or ". " after an abbreviation), or null;
    /// with <paramref name="allowDot"/> a dot right after the number belongs to it ("útja 45.").
    /// </summary>
    public static int? After(string text, int end, bool allowDot)
    {
        var p = end;
        if (p < text.Length && text[p] == '.')
        {
            p++;
        }

        if (p >= text.Length || text[p] != ' ')
        {
            return null;
        }

        p++;
        var digits = 0;
        while (p < text.Length && char.IsAsciiDigit(text[p]))
        {
            p++;
            digits++;
        }

        if (digits == 0)
        {
            return null;
        }

        if (p < text.Length && char.IsAsciiLetter(text[p]) && (p + 1 >= text.Length || !char.IsLetterOrDigit(text[p + 1])))
        {
            p++;
        }

        if (digits > MaxHouseDigits || (p < text.Length && (char.IsLetterOrDigit(text[p]) || text[p] is ':' or '/' or '%' or '-' || (text[p] is '.' or ',' && p + 1 < text.Length && char.IsAsciiDigit(text[p + 1])))))
        {
            return null;
        }

        return allowDot && p + 1 < text.Length && text[p] == '.' && text[p + 1] is '\n' or '\r' ? p + 1 : p;
    }
}
