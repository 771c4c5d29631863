using System.Text;

namespace HybridAI.SlmInference.Core.Tokenization;

/// <summary>
/// BERT's basic tokenization, as Hugging Face's <c>BasicTokenizer</c> does it: drop NUL, U+FFFD and control characters,
/// split on whitespace, isolate CJK ideographs and punctuation, lower-case and strip accents. Words are reported with
/// their span in the original text so callers (chunking) can map tokens back.
/// </summary>
internal sealed class BasicTokenizer(BertTokenizerOptions options)
{
    /// <summary>Calls <paramref name="onWord"/> for each word: its normalised text and its original span.</summary>
    public void Split<TState>(string text, ref TState state, WordCallback<TState> onWord)
    {
        var word = new StringBuilder();
        var wordStart = -1;
        var wordEnd = -1;
        var position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var start = position;
            position += rune.Utf16SequenceLength;
            if (rune.Value == 0 || rune.Value == 0xFFFD || CharClasses.IsControl(rune))
            {
                continue;
            }

            if (CharClasses.IsWhitespace(rune))
            {
                Flush(word, ref wordStart, wordEnd, ref state, onWord);
                continue;
            }

            if ((options.TokenizeChineseChars && CharClasses.IsChinese(rune)) || CharClasses.IsPunctuation(rune))
            {
                Flush(word, ref wordStart, wordEnd, ref state, onWord);
                AppendNormalised(word, rune);
                wordStart = start;
                wordEnd = position;
                Flush(word, ref wordStart, wordEnd, ref state, onWord);
                continue;
            }

            if (wordStart < 0)
            {
                wordStart = start;
            }

            wordEnd = position;
            AppendNormalised(word, rune);
        }

        Flush(word, ref wordStart, wordEnd, ref state, onWord);
    }

    private static void Flush<TState>(StringBuilder word, ref int wordStart, int wordEnd, ref TState state, WordCallback<TState> onWord)
    {
        if (wordStart >= 0 && word.Length > 0)
        {
            var text = word.ToString();
            onWord(text, wordStart, wordEnd, ref state);
        }

        word.Clear();
        wordStart = -1;
    }

    private void AppendNormalised(StringBuilder word, Rune rune)
    {
        if (rune.IsAscii)
        {
            word.Append(options.LowerCase ? (char)Rune.ToLowerInvariant(rune).Value : (char)rune.Value);
            return;
        }

        var r = options.LowerCase ? Rune.ToLowerInvariant(rune) : rune;
        if (!options.StripsAccents)
        {
            word.Append(r.ToString());
            return;
        }

        AccentFolding.AppendFolded(word, r);
    }
}

/// <summary>Receives one word of basic tokenization.</summary>
internal delegate void WordCallback<TState>(string word, int start, int end, ref TState state);
