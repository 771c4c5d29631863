namespace HybridAI.Pii.Recognizers;

/// <summary>A word of the text with its position (letters of any script, inner apostrophes and hyphens).</summary>
public readonly record struct TextWord(int Start, int End)
{
    public int Length => End - Start;

    public ReadOnlySpan<char> In(string text) => text.AsSpan(Start, Length);

    public bool IsCapitalised(string text) => char.IsUpper(text[Start]) && (Length == 1 || !char.IsUpper(text[Start + 1]) || Length <= 3);

    /// <summary>Only whitespace (no line break, no punctuation) separates this word from <paramref name="next"/>.</summary>
    public bool AdjacentTo(string text, TextWord next)
    {
        var gap = text.AsSpan(End, next.Start - End);
        return gap.Length is > 0 and <= 2 && gap.IndexOfAnyExcept(' ', '\t') < 0;
    }

    /// <summary>Only spaces, or one punctuation mark and spaces (":", ","), separate this word from <paramref name="next"/>.</summary>
    public bool AdjacentOrPunctuated(string text, TextWord next)
    {
        var gap = text.AsSpan(End, next.Start - End).Trim(' ');
        return next.Start - End <= 4 && (gap.Length == 0 || (gap.Length == 1 && gap[0] is ':' or ',' or '?' or '-'));
    }

    /// <summary>Spaces, or an abbreviation's dot and spaces ("Ms. Wijtze", "Dr.Nielsen"), on one line, separate the words.</summary>
    public bool AdjacentOrDotted(string text, TextWord next)
    {
        var gap = text.AsSpan(End, next.Start - End);
        return gap.Length <= 3 && (gap.Length == 0 ? false : gap.TrimStart('.').IndexOfAnyExcept(' ') < 0) && gap.Count('.') <= 1;
    }

    /// <summary>The word starts a sentence (text start, or after . ! ? or a line break).</summary>
    public bool StartsSentence(string text)
    {
        for (var i = Start - 1; i >= 0; i--)
        {
            var c = text[i];
            if (c is '.' or '!' or '?' or '\n' or ':' or '"')
            {
                return true;
            }

            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    public static List<TextWord> Split(string text)
    {
        var words = new List<TextWord>();
        foreach (var match in Patterns.Word.EnumerateMatches(text))
        {
            words.Add(new TextWord(match.Index, match.Index + match.Length));
        }

        return words;
    }
}
