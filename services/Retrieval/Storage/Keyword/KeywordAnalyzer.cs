using System.Collections.Frozen;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace HybridAI.Retrieval.Storage.Keyword;

/// <summary>
/// The one text analyzer behind BM25 in both stores: words are runs of letters and digits, lower-cased and
/// accent-folded, English stop words dropped, possessive <c>'s</c> removed and plurals reduced by the S-stemmer
/// (Harman 1991: <c>ies→y</c>, <c>es→e</c>, <c>s→</c>), which conflates plurals without Porter's over-stemming.
/// The embedded store indexes these terms; the Qdrant adapter sends them as sparse vectors.
/// </summary>
public static class KeywordAnalyzer
{
    /// <summary>Longer words are not indexed (identifiers, base64): they inflate the vocabulary and never match.</summary>
    public const int MaxTermLength = 40;

    private static readonly FrozenSet<string> StopWords = FrozenSet.ToFrozenSet(
    [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be",
        "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
        "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once",
        "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some",
        "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this",
        "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
        "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWordLookup = StopWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Term frequencies of <paramref name="text"/> and its length in terms (stop words excluded).</summary>
    public static (Dictionary<string, int> Frequencies, int Length) Analyze(string text)
    {
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        ForEachTerm(text, term =>
        {
            CollectionsMarshal.GetValueRefOrAddDefault(frequencies, term, out _)++;
            length++;
        });
        return (frequencies, length);
    }

    /// <summary>The distinct terms of a query, in order of first appearance.</summary>
    public static IReadOnlyList<string> QueryTerms(string text)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ForEachTerm(text, term =>
        {
            if (seen.Add(term))
            {
                terms.Add(term);
            }
        });
        return terms;
    }

    /// <summary>A stable 32-bit id of a term (XxHash32 of its UTF-8 bytes): the sparse-vector index in Qdrant.</summary>
    public static uint TermId(string term)
    {
        Span<byte> buffer = stackalloc byte[MaxTermLength * 3];
        var length = Encoding.UTF8.GetBytes(term, buffer);
        return XxHash32.HashToUInt32(buffer[..length]);
    }

    private static void ForEachTerm(string text, Action<string> onTerm)
    {
        Span<char> word = stackalloc char[MaxTermLength];
        var length = 0;
        var tooLong = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (length < MaxTermLength)
                {
                    word[length++] = Fold(c);
                }
                else
                {
                    tooLong = true;
                }

                continue;
            }

            // An apostrophe inside a word joins it (don't → dont); a possessive 's is dropped (user's → user).
            if (c is '\'' or '’' && length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                var possessive = text[i + 1] is 's' or 'S' && (i + 2 == text.Length || !char.IsLetterOrDigit(text[i + 2]));
                if (possessive)
                {
                    i++;
                }
                else
                {
                    continue;
                }
            }

            if (length > 0 && !tooLong)
            {
                if (!StopWordLookup.Contains(word[..length]))
                {
                    var term = Stem(word[..length]);
                    if (!StopWordLookup.Contains(term))
                    {
                        onTerm(term.ToString());
                    }
                }
            }

            length = 0;
            tooLong = false;
        }
    }

    private static Span<char> Stem(Span<char> word)
    {
        ReadOnlySpan<char> w = word;
        if (word.Length <= 3 || word[^1] != 's' || !char.IsLetter(word[^2]))
        {
            return word;
        }

        if (w.EndsWith("ies", StringComparison.Ordinal) && !w.EndsWith("eies", StringComparison.Ordinal) && !w.EndsWith("aies", StringComparison.Ordinal))
        {
            word[^3] = 'y';
            return word[..^2];
        }

        if (w.EndsWith("es", StringComparison.Ordinal) && !w.EndsWith("aes", StringComparison.Ordinal) && !w.EndsWith("ees", StringComparison.Ordinal) && !w.EndsWith("oes", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return w.EndsWith("us", StringComparison.Ordinal) || w.EndsWith("ss", StringComparison.Ordinal) ? word : word[..^1];
    }

    private static char Fold(char c)
    {
        c = char.ToLowerInvariant(c);
        if (c < 0x80)
        {
            return c;
        }

        // Latin letters with diacritics fold to their base letter (café → cafe), as the encoder's tokenizer does.
        return char.GetUnicodeCategory(c) == UnicodeCategory.LowercaseLetter ? LatinFold(c) : c;
    }

    private static char LatinFold(char c) => c switch
    {
        >= 'à' and <= 'å' => 'a',
        'ç' => 'c',
        >= 'è' and <= 'ë' => 'e',
        >= 'ì' and <= 'ï' => 'i',
        'ñ' => 'n',
        >= 'ò' and <= 'ö' or 'ø' => 'o',
        >= 'ù' and <= 'ü' => 'u',
        'ý' or 'ÿ' => 'y',
        _ => c,
    };
}
