namespace HybridAI.Pii.Recognizers;

/// <summary>
/// Person names from offline evidence: honorifics ("Ms. Wijtze"), context phrases ("my name is …", "regards, …",
/// "… said"), given-name and surname lists, and the shape of the words themselves: a capitalised word that is no
/// English word and no known place is a proper noun. Runs of name words make one name ("Janice Brkić MD"). Words that
/// only look like names (an unknown capitalised word with no context) become weak candidates
/// (<see cref="PiiScores.Suspected"/>) that only the recall profile keeps.
/// </summary>
public sealed class PersonRecognizer : IPiiRecognizer
{
    private const int MaxNameWords = 4;

    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        var words = scan.Words;
        var first = findings.Count;
        for (var i = 0; i < words.Count; i++)
        {
            var next = i + 1 < words.Count ? words[i + 1] : default;
            var hasNext = i + 1 < words.Count;

            if (hasNext && PersonContext.IsHonorific(text, words[i]) && words[i].AdjacentOrDotted(text, next))
            {
                // "ms. wijtze" is as much a name as "Ms. Wijtze"; a capitalised name ends at the first lower-case word.
                var end = Run(text, words, i + 1, allowLowerCase: !next.IsCapitalised(text), afterContext: true);
                if (end > i)
                {
                    Add(findings, text, words[i + 1].Start, words[end].End, 0.85);
                    i = end;
                    continue;
                }
            }

            if (hasNext && PersonContext.IntroducerEndsAt(text, words, i) is { } strong && words[i].AdjacentOrPunctuated(text, next))
            {
                var lower = !next.IsCapitalised(text);
                var nextWord = NameWords.Classify(text, next);
                // Lower-case after a strong introducer ("my name is tracy"), or any word that is no ordinary word.
                if ((!lower || strong || !nextWord.English) && !nextWord.Stopword && (!nextWord.English || nextWord.Given || nextWord.Surname || !lower))
                {
                    var end = Run(text, words, i + 1, allowLowerCase: lower, afterContext: true);
                    if (end > i)
                    {
                        Add(findings, text, next.Start, words[end].End, lower ? 0.7 : 0.8);
                        i = end;
                        continue;
                    }
                }
            }

            i = FromWords(text, words, i, findings);
        }

        Merge(findings, first);
    }

    /// <summary>A name that starts at word <paramref name="i"/> by the words themselves; returns the last word index used.</summary>
    private static int FromWords(string text, List<TextWord> words, int i, List<PiiFinding> findings)
    {
        var word = words[i];
        var w = NameWords.Classify(text, word);
        var atSentenceStart = word.StartsSentence(text);
        if (w.Stopword)
        {
            return i;
        }

        if (w.KnownProper && w.Capitalised && w.Given && i + 1 < words.Count && word.AdjacentTo(text, words[i + 1])
            && Next(text, words, i) is { } surname && (surname.Surname || surname.UnknownProper))
        {
            // "Megan Payne", "India Walton": a given name that is also a place, before a surname.
            var nameEnd = Run(text, words, i, allowLowerCase: false, afterContext: true);
            if (nameEnd > i)
            {
                Add(findings, text, word.Start, words[nameEnd].End, 0.75);
                return nameEnd;
            }
        }

        if (w.KnownProper)
        {
            // "Beaufort is very reliable": a place name can be a surname; only the recall profile takes that chance.
            if (w.Capitalised && PersonContext.SubjectVerbAfter(text, words, i))
            {
                Add(findings, text, word.Start, word.End, PiiScores.Suspected);
            }

            return i;
        }
        if (!w.Capitalised)
        {
            // Lower-case: only a listed name that is no ordinary word ("tracy sukhorukova", "lilly").
            // The project's own list of common given names is trusted in lower case too ("john", "tracy").
            // Lower-case common given names that are also words ("max", "john"): only suspected.
            var projectName = w.CommonGiven && !w.Ambiguous;
            if (projectName && w.English)
            {
                Add(findings, text, word.Start, word.End, PiiScores.Suspected);
                return i;
            }

            // A word that is no English word, in a person's slot: "had given quorlith his address".
            if (!w.English && word.Length >= 3 && char.IsLetter(text[word.Start]) && PersonContext.IndirectObject(text, words, i))
            {
                Add(findings, text, word.Start, word.End, 0.6);
                return i;
            }

            if ((w.ListedName && w.Given && word.Length >= 4) || projectName)
            {
                var lowerEnd = Run(text, words, i, allowLowerCase: true);
                if (lowerEnd < i)
                {
                    return i;
                }

                Add(findings, text, word.Start, words[lowerEnd].End, projectName || lowerEnd > i ? 0.6 : 0.55);
                return lowerEnd;
            }

            return i;
        }

        var end = Run(text, words, i, allowLowerCase: false);
        if (end < i)
        {
            return i;
        }

        var count = end - i + 1;
        var span = (Start: word.Start, End: words[end].End);
        // Mid-sentence, any listed given name followed by a surname-like word: "with Colleen Wiley".
        if (count >= 2 && !atSentenceStart && w.Given && Next(text, words, i) is { } after && (after.Surname || after.ListedName || after.UnknownProper))
        {
            Add(findings, text, span.Start, span.End, 0.75);
            return end;
        }

        if (count >= 2 && (w.CommonGiven || w.ListedName) && !(w.Ambiguous && atSentenceStart && !Next(text, words, i).ListedName))
        {
            Add(findings, text, span.Start, span.End, 0.8);
            return end;
        }

        if (count >= 2 && (w.UnknownProper || w.ListedName) && Next(text, words, i) is { KnownProper: false } second && (second.ListedName || second.UnknownProper))
        {
            // Two or more capitalised words that are no English words: "Zyxar Qualm".
            Add(findings, text, span.Start, span.End, second.ListedName || w.ListedName ? 0.75 : 0.6);
            return end;
        }

        var context = PersonContext.After(text, words, end) || PersonContext.Vocative(text, words, i, end)
            || (count == 1 && PersonContext.IndirectObject(text, words, i));
        if (w.ListedName)
        {
            // "in Paris", "in Monroe": one word after a preposition of place is a town as often as a person.
            var place = count == 1 && PersonContext.PlaceBefore(text, words, i);
            Add(findings, text, span.Start, span.End, context ? 0.75 : place ? PiiScores.Suspected : 0.65);
            return end;
        }

        if (w.UnknownProper)
        {
            Add(findings, text, span.Start, span.End, context ? 0.65 : PiiScores.Suspected);
            return end;
        }

        // A capitalised English word that is also a given name ("Will", "Frank"): only context makes it one; a suspicion
        // mid-sentence. Surnames that are English words ("Case", "Long", "King") are too common to suspect.
        if (w.CommonGiven || ((w.Given || w.Surname) && context))
        {
            Add(findings, text, span.Start, span.End, context ? 0.6 : !atSentenceStart || PersonContext.SubjectVerbAfter(text, words, end) ? PiiScores.Suspected : 0);
            return end;
        }

        return i;
    }

    private static NameWord Next(string text, List<TextWord> words, int i) =>
        i + 1 < words.Count ? NameWords.Classify(text, words[i + 1]) : default;

    /// <summary>
    /// The last word of a name that starts at <paramref name="from"/>: up to <see cref="MaxNameWords"/> adjacent name
    /// words, inner particles ("van", "de") and a trailing post-nominal ("MD"); <paramref name="from"/> - 1 when none.
    /// </summary>
    internal static int Run(string text, List<TextWord> words, int from, bool allowLowerCase, bool afterContext = false)
    {
        var last = from - 1;
        for (var j = from; j < words.Count && j < from + MaxNameWords; j++)
        {
            var w = words[j];
            if (j > from && !words[j - 1].AdjacentTo(text, w))
            {
                break;
            }

            var value = w.In(text);
            if (j > from && NameWords.IsPostNominal(value) && char.IsUpper(value[0]))
            {
                last = j;
                break;
            }

            if (j > from && NameWords.IsParticle(value) && j + 1 < words.Count && w.AdjacentTo(text, words[j + 1]) && words[j + 1].IsCapitalised(text))
            {
                continue;
            }

            var c = NameWords.Classify(text, w);
            // A known place starts no name by itself, but "Mr. Fernandez" or "Megan Payne" are names all the same.
            if (c.Stopword || value.Length < 2 || !char.IsLetter(value[0]) || (c.KnownProper && j == from && !afterContext))
            {
                break;
            }

            if (!c.Capitalised && !(allowLowerCase && (j == from || !c.English || c.Given || c.Surname)))
            {
                break;
            }

            last = j;
        }

        return last;
    }

    private static void Add(List<PiiFinding> findings, string text, int start, int end, double score)
    {
        // "Arne's address": the name is "Arne".
        end = start + NameWords.WithoutPossessive(text.AsSpan(start, end - start)).Length;
        if (score > 0)
        {
            findings.Add(new PiiFinding(PiiEntityTypes.Person, start, end, score));
        }
    }

    // Two recognitions of one name (context and list) become one span with the better score. Findings are appended in
    // order of position, so only neighbours can overlap: one linear pass.
    private static void Merge(List<PiiFinding> findings, int first)
    {
        var kept = first;
        for (var b = first; b < findings.Count; b++)
        {
            if (kept > first && findings[kept - 1].Overlaps(findings[b]))
            {
                var x = findings[kept - 1];
                var y = findings[b];
                findings[kept - 1] = new PiiFinding(x.Type, Math.Min(x.Start, y.Start), Math.Max(x.End, y.End), Math.Max(x.Score, y.Score));
                continue;
            }

            findings[kept++] = findings[b];
        }

        findings.RemoveRange(kept, findings.Count - kept);
    }
}
