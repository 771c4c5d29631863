namespace HybridAI.Pii.Recognizers;

/// <summary>
/// Street addresses by a small grammar, in one pass over the words. A street line is one of: house number(s), street
/// name and street type ("23 8 wressle road", "1600 Pennsylvania Avenue NW"); house number, street name and the number
/// after it, as most of Europe writes it ("87 Jakobi 69", "Hauptstraße 5", "06 Reyes Católicos 17"); an opening street
/// word ("Via Roma 10", "48 rue Descartes"); or a unit line ("Apt. 018"). The address then runs on over what an address
/// block holds, on one line or several: units, place names (capitalised, all capitals, or no English word) and postal
/// codes ("…\nErwetegem\n, VOV\n Serbia 23823"), and stops at the first ordinary English word or phone-like digits.
/// Street lines that only look like one (no number, or no evidence the words are a street) are suspected findings.
/// </summary>
public sealed class StreetAddressRecognizer : IPiiRecognizer
{
    private const double StreetWithType = 0.9;
    private const double StreetWithNumbers = 0.8;
    private const double WithContext = 0.7;
    private const double UnitLine = 0.6;
    private const int MaxNameWords = 4;

    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        var words = scan.Words;
        var covered = 0;
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].Start < covered)
            {
                continue;
            }

            if (StreetLine(text, words, i) is not { } line)
            {
                continue;
            }

            var end = AddressTail.Extend(text, words, line.LastWord + 1, line.End);
            findings.Add(new PiiFinding(PiiEntityTypes.StreetAddress, line.Start, end, line.Score));
            covered = end;
        }
    }

    private static (int Start, int End, int LastWord, double Score)? StreetLine(string text, List<TextWord> words, int i)
    {
        var word = words[i];
        var value = word.In(text);

        if (AddressWords.IsStandaloneUnit(value) && Numbers.After(text, word.End, allowDot: true) is { } unitEnd)
        {
            return (word.Start, unitEnd, i, UnitLine);
        }

        var houseNumber = Numbers.HouseNumberBefore(text, word.Start);
        if (AddressWords.IsOpeningWord(value) && NameWordsFrom(text, words, i + 1) is var last && last > i)
        {
            if (Numbers.After(text, words[last].End, allowDot: false) is { } numberEnd)
            {
                return (houseNumber ?? word.Start, numberEnd, last, StreetWithNumbers);
            }

            if (houseNumber is { } start)
            {
                return (start, words[last].End, last, StreetWithNumbers);
            }
        }

        // From a street-name word: on to a street type, or to the number after the name.
        var nameEnd = NameWordsFrom(text, words, i);
        for (var j = i; j <= nameEnd; j++)
        {
            var w = words[j].In(text);
            if (j > i && AddressWords.IsStreetType(w))
            {
                var end = Directional(text, words, j, out var lastWord);
                if (houseNumber is { } start)
                {
                    return (start, end, lastWord, StreetWithType);
                }

                // "Whittaker Street": a street, but no number says whose door.
                if (char.IsUpper(w[0]) && char.IsUpper(text[word.Start]) && !Gazetteers.IsEnglishWord(word.In(text)))
                {
                    return (word.Start, end, lastWord, HasContext(text, word.Start) ? WithContext : PiiScores.Suspected);
                }

                return null;
            }

            if (Numbers.After(text, words[j].End, allowDot: true) is { } numberEnd)
            {
                var evidence = Evidence(text, words, i, j);
                var score = (houseNumber is not null, evidence) switch
                {
                    (_, Street.Strong) => StreetWithNumbers,
                    (true, Street.Foreign) => StreetWithNumbers,
                    (_, Street.Foreign) when HasContext(text, word.Start) => WithContext,
                    (true, Street.Plain) when HasContext(text, word.Start) => WithContext,
                    (_, Street.Foreign) => PiiScores.Suspected,
                    _ => 0,
                };
                return score > 0 ? (houseNumber ?? word.Start, numberEnd, j, score) : null;
            }
        }

        return null;
    }

    private enum Street
    {
        Plain,
        Foreign,
        Strong,
    }

    /// <summary>How sure the words i..j are a street name: a street word in them, words no dictionary knows, or neither.</summary>
    private static Street Evidence(string text, List<TextWord> words, int i, int j)
    {
        var foreign = false;
        for (var k = i; k <= j; k++)
        {
            var w = words[k].In(text);
            if (AddressWords.EndsWithCompoundSuffix(w) || AddressWords.IsOpeningWord(w) || (k > i && AddressWords.IsStreetType(w)))
            {
                return Street.Strong;
            }

            foreign |= !Gazetteers.IsEnglishWord(w) && !Gazetteers.IsKnownProperNoun(w);
        }

        return foreign ? Street.Foreign : Street.Plain;
    }

    /// <summary>The last of up to four adjacent street-name words from <paramref name="from"/> (an abbreviation's dot allowed: "Bem rkp. 97").</summary>
    private static int NameWordsFrom(string text, List<TextWord> words, int from)
    {
        var last = from - 1;
        for (var j = from; j < words.Count && j < from + MaxNameWords; j++)
        {
            if (j > from && !Adjacent(text, words[j - 1], words[j]))
            {
                break;
            }

            var w = words[j];
            if (!AddressWords.IsPlaceWord(text, w) && !(j > from && AddressWords.IsStreetType(w.In(text))))
            {
                break;
            }

            last = j;
        }

        return last;
    }

    private static bool Adjacent(string text, TextWord a, TextWord b)
    {
        var gap = text.AsSpan(a.End, b.Start - a.End);
        return gap is " " or ". " || (gap.Length <= 2 && gap.IndexOfAnyExcept(' ') < 0);
    }

    // "… Avenue NW"
    private static int Directional(string text, List<TextWord> words, int typeIndex, out int lastWord)
    {
        lastWord = typeIndex;
        var end = words[typeIndex].End;
        var i = typeIndex + 1;
        if (i < words.Count && words[typeIndex].AdjacentTo(text, words[i]) && words[i].In(text) is "N" or "S" or "E" or "W" or "NE" or "NW" or "SE" or "SW")
        {
            lastWord = i;
            end = words[i].End;
        }

        return end;
    }

    private static bool HasContext(string text, int start) => TextScan.HasContext(text, start, start, AddressWords.Context, before: 48);
}
