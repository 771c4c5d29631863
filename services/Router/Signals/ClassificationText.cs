using System.Text;

namespace HybridAI.Router.Signals;

/// <summary>
/// The text the heads score. The documented rule: the last user message (else the last message), sensitive values
/// replaced by their type (<c>&lt;EMAIL&gt;</c>) so the embedding, which the semantic cache keeps, never encodes them; a
/// text longer than <c>Router:Signals:ClassificationMaxChars</c> keeps its first 60 % and last 40 %, joined by a line
/// with an ellipsis, because the encoder reads only about 1,000 characters and instructions often sit at either end.
/// </summary>
public static class ClassificationText
{
    public const string Ellipsis = "\n…\n";

    /// <summary>Replaces findings (ordered, non-overlapping) by <c>&lt;TYPE&gt;</c>.</summary>
    public static string Mask(string text, IReadOnlyList<TextFinding> findings)
    {
        if (findings.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var f in findings)
        {
            builder.Append(text, position, f.Start - position).Append('<').Append(f.Type).Append('>');
            position = f.End;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>Cuts <paramref name="text"/> to its head and tail when it is longer than <paramref name="maxChars"/>.</summary>
    public static (string Text, bool Truncated) Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return (text, false);
        }

        var budget = maxChars - Ellipsis.Length;
        var head = budget * 3 / 5;
        var tail = budget - head;
        return (string.Concat(text.AsSpan(0, SafeEnd(text, head)), Ellipsis, text.AsSpan(SafeStart(text, text.Length - tail))), true);
    }

    // Never split a surrogate pair: the encoder would see a lone half.
    private static int SafeEnd(string text, int end) => end > 0 && char.IsHighSurrogate(text[end - 1]) ? end - 1 : end;

    private static int SafeStart(string text, int start) => start < text.Length && char.IsLowSurrogate(text[start]) ? start + 1 : start;
}
