namespace HybridAI.Pii.Recognizers;

/// <summary>
/// Person names, by the best offline evidence available without a model: honorifics ("Ms. Wijtze"), context
/// phrases ("my name is …", "regards, …"), and a gazetteer of given names extended by the following surname.
/// Precision and recall are reported honestly in docs/benchmarks.md; a learned recognizer can replace this
/// one behind <see cref="IPiiRecognizer"/>.
/// </summary>
public sealed class PersonRecognizer : IPiiRecognizer
{
    private static readonly HashSet<string> Honorifics = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "madam", "madame", "mme", "mlle", "herr", "frau",
        "señor", "señora", "senor", "senora", "sr", "sra", "signor", "signora", "dame", "lord", "lady",
    };

    // Phrases after which a name follows; strong ones accept lower-case names ("my name is tracy").
    private static readonly (string[] Words, bool Strong)[] Introducers =
    [
        (["my", "name", "is"], true), (["name", "is"], true), (["name"], true), (["names"], true), (["called"], false),
        (["i", "am"], false), (["i'm"], false), (["this", "is"], false), (["regards"], false), (["thanks"], false),
        (["sincerely"], false), (["dear"], false), (["attn"], true), (["attention"], false), (["ask", "for"], false),
        (["speak", "to"], false), (["speak", "with"], false), (["contact"], false), (["signed"], true), (["guardian"], false),
    ];

    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        var words = scan.Words;
        var first = findings.Count;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var value = word.In(text);

            if (IsHonorific(text, word) && i + 1 < words.Count)
            {
                // "ms. wijtze" is as much a name as "Ms. Wijtze", but a capitalised name ends at the first lower-case word.
                var end = ExtendName(text, words, i + 1, allowLowerCase: !words[i + 1].IsCapitalised(text), maxWords: 3);
                if (end > i)
                {
                    Add(findings, words[i + 1].Start, words[end].End, 0.85);
                    i = end;
                    continue;
                }
            }

            if (IntroducerEndsAt(text, words, i) is { } strong && i + 1 < words.Count && words[i].AdjacentOrPunctuated(text, words[i + 1]))
            {
                var next = words[i + 1];
                var lower = !next.IsCapitalised(text);
                if (!lower || strong)
                {
                    var end = ExtendName(text, words, i + 1, allowLowerCase: lower, maxWords: 3);
                    if (end > i && !Gazetteers.Stopwords.Contains(words[i + 1].In(text).ToString()))
                    {
                        Add(findings, next.Start, words[end].End, lower ? 0.7 : 0.8);
                        i = end;
                        continue;
                    }
                }
            }

            var lowerValue = value.ToString();
            if (!Gazetteers.FirstNames.Contains(lowerValue) && !Gazetteers.AmbiguousNames.Contains(lowerValue))
            {
                continue;
            }

            var capitalised = word.IsCapitalised(text);
            var ambiguous = Gazetteers.AmbiguousNames.Contains(lowerValue);
            if (ambiguous && (!capitalised || word.StartsSentence(text)))
            {
                continue;
            }

            var last = ExtendName(text, words, i + 1, allowLowerCase: !capitalised, maxWords: 2);
            var hasSurname = last > i;
            if (ambiguous && !hasSurname)
            {
                continue;
            }

            var score = (capitalised, hasSurname) switch
            {
                (true, true) => 0.8,
                (true, false) => 0.7,
                (false, true) => 0.65,
                (false, false) => 0.6,
            };
            Add(findings, word.Start, words[hasSurname ? last : i].End, score);
            i = hasSurname ? last : i;
        }

        Merge(findings, first);
    }

    private static bool IsHonorific(string text, TextWord word) =>
        Honorifics.Contains(word.In(text).ToString())
        && (word.End >= text.Length || text[word.End] is '.' or ' ');

    /// <summary>
    /// Extends a name from <paramref name="from"/> over up to <paramref name="maxWords"/> adjacent name-like words;
    /// returns the index of the last word taken, or <paramref name="from"/> - 1 when none was.
    /// </summary>
    private static int ExtendName(string text, List<TextWord> words, int from, bool allowLowerCase, int maxWords)
    {
        var last = from - 1;
        for (var j = from; j < words.Count && j < from + maxWords; j++)
        {
            var w = words[j];
            if (j > from && !words[j - 1].AdjacentTo(text, w))
            {
                break;
            }

            if (j == from && j > 0 && words[j - 1].End < w.Start && text.AsSpan(words[j - 1].End, w.Start - words[j - 1].End).Contains('\n'))
            {
                break;
            }

            var s = w.In(text).ToString();
            if (Gazetteers.Stopwords.Contains(s) || s.Length < 2 || !(w.IsCapitalised(text) || allowLowerCase) || !char.IsLetter(s[0]))
            {
                break;
            }

            last = j;
        }

        return last;
    }

    /// <summary>Whether an introducer phrase ends at word <paramref name="i"/>; null when none, else whether it is strong.</summary>
    private static bool? IntroducerEndsAt(string text, List<TextWord> words, int i)
    {
        foreach (var (phrase, strong) in Introducers)
        {
            if (i + 1 < phrase.Length)
            {
                continue;
            }

            var matched = true;
            for (var k = 0; k < phrase.Length && matched; k++)
            {
                matched = words[i - phrase.Length + 1 + k].In(text).Equals(phrase[k], StringComparison.OrdinalIgnoreCase);
            }

            if (matched)
            {
                return strong;
            }
        }

        return null;
    }

    private static void Add(List<PiiFinding> findings, int start, int end, double score) =>
        findings.Add(new PiiFinding(PiiEntityTypes.Person, start, end, score));

    // Two recognitions of one name (gazetteer and context) become one span with the better score.
    private static void Merge(List<PiiFinding> findings, int first)
    {
        for (var a = first; a < findings.Count; a++)
        {
            for (var b = findings.Count - 1; b > a; b--)
            {
                if (findings[a].Overlaps(findings[b]))
                {
                    var x = findings[a];
                    var y = findings[b];
                    findings[a] = new PiiFinding(x.Type, Math.Min(x.Start, y.Start), Math.Max(x.End, y.End), Math.Max(x.Score, y.Score));
                    findings.RemoveAt(b);
                }
            }
        }
    }
}
