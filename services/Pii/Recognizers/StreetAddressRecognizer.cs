namespace HybridAI.Pii.Recognizers;

/// <summary>
/// Street addresses: a house number, up to four street-name words and a street type ("8 wressle road",
/// "1600 Pennsylvania Avenue NW"), or a continental street word followed by its number ("Hauptstraße 5"),
/// each with an optional unit ("suite 771", "apt 4B").
/// </summary>
public sealed class StreetAddressRecognizer : IPiiRecognizer
{
    private static readonly HashSet<string> StreetTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "street", "st", "road", "rd", "avenue", "ave", "av", "lane", "ln", "drive", "dr", "boulevard", "blvd", "way",
        "place", "pl", "court", "ct", "terrace", "ter", "close", "crescent", "cres", "square", "sq", "parkway", "pkwy",
        "highway", "hwy", "circle", "cir", "trail", "trl", "row", "alley", "gardens", "grove", "walk", "mews", "hill",
        "park", "quay", "wharf", "esplanade", "promenade", "broadway", "plaza", "loop", "pike", "path",
    };

    // German/Dutch street words close a compound ("Hauptstraße 5", "Berliner Straße 5", "Keizersgracht 12").
    private static readonly string[] GermanicSuffixes = ["straße", "strasse", "str", "weg", "gasse", "platz", "allee", "damm", "ufer", "laan", "straat", "gracht", "plein", "kade"];

    // Romance and Slavic street words open the name ("Via Roma 10", "Calle Mayor 5", "ulica Długa 12").
    private static readonly HashSet<string> OpeningStreetWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "via", "viale", "piazza", "calle", "avenida", "rua", "ulica", "ul", "rue", "chemin", "carrer", "praça",
    };

    private static readonly HashSet<string> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        "suite", "ste", "apt", "apartment", "unit", "floor", "fl", "room", "rm", "flat", "building", "bldg",
    };

    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        var words = scan.Words;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var value = word.In(text).ToString();
            if (StreetTypes.Contains(value) && HouseNumberBefore(text, words, i) is { } start)
            {
                Add(findings, start, ExtendDirectionalAndUnit(text, words, i, word.End));
                continue;
            }

            if (EndsWithGermanicStreetWord(value) && NumberAfter(text, word.End) is { } numberEnd)
            {
                var from = i > 0 && words[i - 1].AdjacentTo(text, word) && words[i - 1].IsCapitalised(text) && word.IsCapitalised(text)
                    && !Gazetteers.Stopwords.Contains(words[i - 1].In(text).ToString()) ? words[i - 1].Start : word.Start;
                Add(findings, from, numberEnd);
                continue;
            }

            if (OpeningStreetWords.Contains(value))
            {
                for (var j = i + 1; j < words.Count && j <= i + 3 && words[j - 1].AdjacentTo(text, words[j]); j++)
                {
                    if (NumberAfter(text, words[j].End) is { } end)
                    {
                        Add(findings, word.Start, end);
                        i = j;
                        break;
                    }
                }
            }
        }
    }

    private static bool EndsWithGermanicStreetWord(string value)
    {
        foreach (var suffix in GermanicSuffixes)
        {
            if (value.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The start of "&lt;number&gt; &lt;1-4 words&gt;" ending just before the street type, or null.</summary>
    private static int? HouseNumberBefore(string text, List<TextWord> words, int typeIndex)
    {
        for (var k = 1; k <= 4 && typeIndex - k >= 0; k++)
        {
            var nameWord = words[typeIndex - k];
            var gapStart = nameWord.Start;
            // Scan back from the first street-name word over spaces to digits (with an optional letter: 12B).
            var p = gapStart - 1;
            while (p >= 0 && text[p] == ' ')
            {
                p--;
            }

            var numberEnd = p + 1;
            if (p >= 0 && char.IsAsciiLetter(text[p]) && p > 0 && char.IsAsciiDigit(text[p - 1]))
            {
                p--;
            }

            var digits = 0;
            while (p >= 0 && char.IsAsciiDigit(text[p]) && digits <= 5)
            {
                p--;
                digits++;
            }

            if (digits is >= 1 and <= 5 && numberEnd < gapStart && (p < 0 || !char.IsLetterOrDigit(text[p])))
            {
                // Every word between the number and the street type must be adjacent (one street name).
                for (var j = typeIndex - k; j < typeIndex; j++)
                {
                    if (!words[j].AdjacentTo(text, words[j + 1]) || Gazetteers.Stopwords.Contains(words[j].In(text).ToString()))
                    {
                        return null;
                    }
                }

                return p + 1;
            }

            if (Gazetteers.Stopwords.Contains(nameWord.In(text).ToString()))
            {
                return null;
            }
        }

        return null;
    }

    private static int? NumberAfter(string text, int end)
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

        if (p < text.Length && char.IsAsciiLetter(text[p]) && (p + 1 >= text.Length || !char.IsLetterOrDigit(text[p + 1])))
        {
            p++;
        }

        return digits is >= 1 and <= 4 && (p >= text.Length || !char.IsLetterOrDigit(text[p])) ? p : null;
    }

    // "… Avenue NW", "…, Suite 771", "… apt 4B"
    private static int ExtendDirectionalAndUnit(string text, List<TextWord> words, int typeIndex, int end)
    {
        var i = typeIndex + 1;
        if (i < words.Count && words[typeIndex].AdjacentTo(text, words[i]) && words[i].In(text) is "N" or "S" or "E" or "W" or "NE" or "NW" or "SE" or "SW")
        {
            end = words[i].End;
            i++;
        }

        if (i < words.Count && Units.Contains(words[i].In(text).ToString()) && words[i].Start - end <= 3)
        {
            var p = words[i].End;
            while (p < text.Length && text[p] is ' ' or '.' or '#')
            {
                p++;
            }

            var q = p;
            while (q < text.Length && (char.IsLetterOrDigit(text[q]) || text[q] == '-'))
            {
                q++;
            }

            if (q > p && text.AsSpan(p, q - p).ContainsAnyInRange('0', '9'))
            {
                end = q;
            }
        }

        return end;
    }

    private static void Add(List<PiiFinding> findings, int start, int end) =>
        findings.Add(new PiiFinding(PiiEntityTypes.StreetAddress, start, end, 0.75));
}
