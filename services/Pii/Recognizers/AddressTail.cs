namespace HybridAI.Pii.Recognizers;

/// <summary>
/// What follows a street line in an address block: units, place names and postal codes, separated by spaces, commas
/// or line breaks ("…, Suite 446, Poznań, Bolivia 28327", "…\nSaarjärve, JN 91851").
/// </summary>
internal static class AddressTail
{
    private const int MaxParts = 10;
    private const int MaxLineBreaks = 4;
    private const int MaxLength = 160;

    /// <summary>The end of the address whose street line ends at <paramref name="end"/>, word <paramref name="next"/> being the first after it.</summary>
    public static int Extend(string text, List<TextWord> words, int next, int end)
    {
        var lineBreaks = 0;
        var origin = end;
        var wordIndex = next;
        var previousWasNumber = false;
        var accepted = end;
        for (var part = 0; part < MaxParts && end - origin < MaxLength; part++)
        {
            var (q, breaks, dot) = SkipSeparators(text, end);
            lineBreaks += breaks;
            if (q >= text.Length || lineBreaks > MaxLineBreaks)
            {
                break;
            }

            while (wordIndex < words.Count && words[wordIndex].Start < q)
            {
                wordIndex++;
            }

            if (char.IsAsciiDigit(text[q]))
            {
                // A postal code (3-6 digits, on its own or after a place), never a run of digit groups (a phone number).
                var p = q;
                while (p < text.Length && char.IsAsciiDigit(text[p]))
                {
                    p++;
                }

                var digits = p - q;
                var gluedOrGrouped = p < text.Length && (char.IsLetter(text[p]) || text[p] is '-' or '.' or '/' or ':' or '(' or ')' ||
                    (text[p] == ' ' && p + 1 < text.Length && char.IsAsciiDigit(text[p + 1])));
                if (previousWasNumber || gluedOrGrouped || dot || !(digits is >= 3 and <= 6 || (digits <= 2 && breaks == 0)))
                {
                    break;
                }

                end = accepted = p;
                previousWasNumber = true;
                continue;
            }

            if (wordIndex >= words.Count || words[wordIndex].Start != q)
            {
                break;
            }

            var word = words[wordIndex];
            var value = word.In(text);
            if (AddressWords.IsUnit(value) && Numbers.After(text, word.End, allowDot: true) is { } unitEnd)
            {
                end = accepted = unitEnd;
                previousWasNumber = true;
                wordIndex++;
                continue;
            }

            // A sentence ends the address: ". It serves great food".
            if (dot && breaks == 0)
            {
                break;
            }

            if (AddressWords.IsPlaceWord(text, word))
            {
                end = accepted = word.End;
                previousWasNumber = false;
                wordIndex++;
                continue;
            }

            // "São Tomé and Príncipe", "Stratford upon Avon": a joining word only counts when a place word follows it.
            if (breaks == 0 && value is "and" or "of" or "de" or "la" or "del" or "upon" or "on" or "am" or "an" or "der"
                && wordIndex + 1 < words.Count && words[wordIndex + 1].Start - word.End == 1 && AddressWords.IsPlaceWord(text, words[wordIndex + 1]))
            {
                end = word.End;
                wordIndex++;
                continue;
            }

            break;
        }

        return accepted;
    }

    /// <summary>Spaces, commas, line breaks and list marks before the next part; a dot counts only at a line's end.</summary>
    private static (int Position, int LineBreaks, bool Dot) SkipSeparators(string text, int position)
    {
        var p = position;
        var breaks = 0;
        var dot = false;
        var commas = 0;
        while (p < text.Length)
        {
            var c = text[p];
            if (c == '\n')
            {
                breaks++;
            }
            else if (c == '.')
            {
                dot = true;
            }
            else if (c == ',')
            {
                commas++;
            }
            else if (!(c is ' ' or '\t' or '\r' or '?' or '*' or '•' or '|' or '-'))
            {
                break;
            }

            p++;
        }

        // "45.\n apt. 614": a dot before a line break ends a line, not a sentence.
        return (p, breaks, dot && breaks == 0 || commas > 1);
    }
}
