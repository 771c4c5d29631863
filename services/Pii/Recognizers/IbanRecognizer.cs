using System.Collections.Frozen;

namespace HybridAI.Pii.Recognizers;

/// <summary>International bank account numbers: the country's exact length and the ISO 13616 mod-97 check.</summary>
public sealed class IbanRecognizer : IPiiRecognizer
{
    // ISO 13616 registry: country code and IBAN length.
    private const string Registry =
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 " +
        "ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 " +
        "LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 " +
        "RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 ";

    private static readonly FrozenDictionary<string, int> Lengths = Registry
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .ToFrozenDictionary(e => e[..2], e => int.Parse(e[2..], System.Globalization.CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);

    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        Span<char> compact = stackalloc char[34];
        foreach (var match in Patterns.Iban.EnumerateMatches(text))
        {
            var start = match.Index;
            if (start > 0 && char.IsLetterOrDigit(text[start - 1]))
            {
                continue;
            }

            if (!Lengths.TryGetValue(text.Substring(start, 2), out var length))
            {
                continue;
            }

            // The pattern may run into the next word ("... DE89 3704 0044 0532 0130 00 to"); take exactly the
            // country's length of alphanumerics and require the IBAN to end there.
            var taken = 0;
            var end = start;
            while (end < start + match.Length && taken < length)
            {
                if (text[end] != ' ')
                {
                    compact[taken++] = char.ToUpperInvariant(text[end]);
                }

                end++;
            }

            if (taken == length && (end >= text.Length || !char.IsLetterOrDigit(text[end])) && Mod97(compact[..length]) == 1)
            {
                findings.Add(new PiiFinding(PiiEntityTypes.Iban, start, end, 0.95));
            }
        }
    }

    /// <summary>ISO 7064 mod 97-10 over the rearranged IBAN (letters as 10-35), computed digit by digit.</summary>
    public static int Mod97(ReadOnlySpan<char> iban)
    {
        var remainder = 0;
        for (var i = 0; i < iban.Length; i++)
        {
            var c = iban[(i + 4) % iban.Length];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return -1;
            }
        }

        return remainder;
    }
}
