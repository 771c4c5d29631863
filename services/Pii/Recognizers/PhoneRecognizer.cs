namespace HybridAI.Pii.Recognizers;

/// <summary>
/// Phone numbers in international and national formats ("+44 20 7946 0958", "(07) 5331 0577", "986.291.2294x751",
/// "001-420-335-7509x38548"): 7 to 15 digits (E.164) in groups, never a date, an IP address or a card number.
/// Shape and context words ("call", "mobile", "fax", …) set the score; weak shapes need context.
/// </summary>
public sealed class PhoneRecognizer : IPiiRecognizer
{
    private static readonly string[] ContextWords =
    [
        "phone", "call", "tel", "telephone", "mobile", "cell", "fax", "office", "desk", "contact", "reach", "whatsapp",
        "sms", "text me", "number", "ring", "dial", "landline", "home:", "work:", "extension",
    ];

    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        Span<char> digits = stackalloc char[24];
        foreach (var match in Patterns.Phone.EnumerateMatches(text))
        {
            var start = match.Index;
            var end = start + match.Length;
            (start, end) = TrimUnbalancedParentheses(text, start, end);
            var span = text.AsSpan(start, end - start);
            if (!TextScan.IsStandalone(text, start, end) && !(start > 0 && text[start - 1] == '+'))
            {
                continue;
            }

            var extension = ExtensionStart(span);
            var number = extension < 0 ? span : span[..extension].TrimEnd();
            var n = TextScan.Digits(number, digits);
            if (n is < 7 or > 15 || LooksLikeSomethingElse(number, digits[..n]))
            {
                continue;
            }

            var groups = CountGroups(number);
            var international = number[0] == '+' || number.StartsWith("00", StringComparison.Ordinal);
            var areaCode = number.Contains('(');
            var context = TextScan.HasContext(text, start, end, ContextWords, before: 40, after: 12);
            var score = 0.4;
            score += groups >= 3 ? 0.2 : groups == 2 ? 0.1 : 0;
            score += international || areaCode || extension >= 0 ? 0.2 : 0;
            score += context ? 0.3 : 0;
            if (groups <= 1 && !context)
            {
                continue;
            }

            if (score >= 0.6)
            {
                findings.Add(new PiiFinding(PiiEntityTypes.PhoneNumber, start, end, Math.Min(score, 0.9)));
            }
        }
    }

    private static (int Start, int End) TrimUnbalancedParentheses(string text, int start, int end)
    {
        var span = text.AsSpan(start, end - start);
        var open = span.Count('(');
        var close = span.Count(')');
        if (close > open && text[end - 1] == ')')
        {
            end--;
        }

        while (end > start && text[end - 1] is ' ' or '-' or '.')
        {
            end--;
        }

        return (start, end);
    }

    private static int ExtensionStart(ReadOnlySpan<char> span)
    {
        var x = span.LastIndexOfAny('x', 'X');
        var ext = span.IndexOf("ext", StringComparison.OrdinalIgnoreCase);
        return ext >= 0 ? ext : x;
    }

    private static int CountGroups(ReadOnlySpan<char> number)
    {
        var groups = 0;
        var inGroup = false;
        foreach (var c in number)
        {
            if (char.IsAsciiDigit(c))
            {
                if (!inGroup)
                {
                    groups++;
                    inGroup = true;
                }
            }
            else
            {
                inGroup = false;
            }
        }

        return groups;
    }

    // Dates (1998-06-28, 12.27.1986), dotted quads, and card-length digit runs belong to other recognizers.
    private static bool LooksLikeSomethingElse(ReadOnlySpan<char> number, ReadOnlySpan<char> digits)
    {
        if (Patterns.NumericDate.IsMatch(number) && DateShaped(number))
        {
            return true;
        }

        if (number.Count('.') == 3 && !number.Contains(' ') && !number.Contains('-'))
        {
            return true;
        }

        if (digits.Length >= 13 && CreditCardRecognizer.Luhn(digits) && !number.Contains('+') && !number.Contains('('))
        {
            return true;
        }

        var first = digits[0];
        var same = true;
        foreach (var d in digits)
        {
            same &= d == first;
        }

        return same;
    }

    private static bool DateShaped(ReadOnlySpan<char> number)
    {
        // Three groups with a 4-digit year at either end, separated by one kind of separator.
        Span<Range> parts = stackalloc Range[5];
        var separator = number.IndexOfAny('-', '/', '.') is var i and >= 0 ? number[i] : '\0';
        if (separator == '\0')
        {
            return false;
        }

        var count = number.Split(parts, separator);
        if (count < 3)
        {
            return false;
        }

        var a = number[parts[0]].Trim();
        var c = number[parts[2]].Trim();
        return (a.Length == 4 && number[parts[1]].Trim().Length <= 2) || (c.Length is 4 or 2 && a.Length <= 2 && count == 3);
    }
}
