namespace HybridAI.Pii.Recognizers;

/// <summary>Payment card numbers: 13-19 digits that pass the Luhn check and start with a known issuer prefix.</summary>
public sealed class CreditCardRecognizer : IPiiRecognizer
{
    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        Span<char> digits = stackalloc char[20];
        foreach (var match in Patterns.CardNumber.EnumerateMatches(text))
        {
            var span = text.AsSpan(match.Index, match.Length);
            if (!TextScan.HasNoAdjacentDigits(text, match.Index, match.Index + match.Length) || !ConsistentGrouping(span))
            {
                continue;
            }

            var n = TextScan.Digits(span, digits);
            if (n is >= 13 and <= 19 && KnownIssuer(digits[..n]) && Luhn(digits[..n]))
            {
                findings.Add(new PiiFinding(PiiEntityTypes.CreditCard, match.Index, match.Index + match.Length, 0.95));
            }
        }
    }

    /// <summary>The Luhn (mod 10) checksum every payment card number carries.</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    // Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, Discover 6011/644-649/65, JCB 3528-3589,
    // Diners 300-305/36/38, UnionPay 62, Maestro 50/56-58/6.
    private static bool KnownIssuer(ReadOnlySpan<char> d)
    {
        var two = TextScan.ParseInt(d[..2]);
        var four = TextScan.ParseInt(d[..4]);
        return d[0] == '4'
            || two is >= 51 and <= 55 || four is >= 2221 and <= 2720
            || two is 34 or 37 or 36 or 38 or 62 or 65 or 50 or (>= 56 and <= 58)
            || four == 6011 || four is >= 6440 and <= 6499 || four is >= 3528 and <= 3589 || four is >= 3000 and <= 3059
            || d[0] == '6';
    }

    // "4111 1111 1111 1111" or "4111-1111-…" or no separators; never a mix, never doubled separators.
    private static bool ConsistentGrouping(ReadOnlySpan<char> span)
    {
        var separator = '\0';
        foreach (var c in span)
        {
            if (c is ' ' or '-')
            {
                if (separator == '\0')
                {
                    separator = c;
                }
                else if (separator != c)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
