namespace HybridAI.SlmInference.Core.Heads;

/// <summary>
/// Cheap text features a head may add to the embedding (the needs-LLM head uses them). Training (<c>hybridai train</c>)
/// and serving compute them with this one class, so the values always agree. The set is versioned: a head names the
/// version and the features it was trained with, and a change to any definition below means a new version.
/// </summary>
public static class TextFeatures
{
    /// <summary>The current version of the feature definitions.</summary>
    public const int Version = 1;

    /// <summary>log(1 + characters).</summary>
    public const string LogLength = "log_length";

    /// <summary>log(1 + whitespace-separated words).</summary>
    public const string LogWords = "log_words";

    /// <summary>Share of characters that are decimal digits (0 for an empty text).</summary>
    public const string DigitRatio = "digit_ratio";

    /// <summary>1 when the text looks like code (a fence, or at least two code markers), else 0.</summary>
    public const string HasCode = "has_code";

    /// <summary>log(1 + math symbols: + − × ÷ = &lt; &gt; ^ √ ∑ ∫ π ≤ ≥ ≠ ∞ and the like).</summary>
    public const string MathSymbols = "math_symbols";

    /// <summary>Number of question marks, capped at 5.</summary>
    public const string QuestionCount = "question_count";

    /// <summary>Every feature of <see cref="Version"/>, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = [LogLength, LogWords, DigitRatio, HasCode, MathSymbols, QuestionCount];

    private static readonly string[] CodeMarkers =
        ["{", "}", ";\n", "();", "=>", "==", "!=", "def ", "function ", "return ", "class ", "import ", "#include", "SELECT ", "</", "console.", "print("];

    private const string MathCharacters = "+-*/=<>^%√∑∏∫π≤≥≠≈∞×÷±∂∆∇";

    /// <summary>Checks that <paramref name="version"/> and <paramref name="names"/> are computable here.</summary>
    public static string? Unsupported(int version, IEnumerable<string> names)
    {
        if (version != Version)
        {
            return $"text feature version {version} is not supported (this build computes version {Version})";
        }

        var unknown = names.Where(n => !Names.Contains(n)).ToArray();
        return unknown.Length == 0 ? null : $"unknown text features: {string.Join(", ", unknown)}";
    }

    /// <summary>Writes the named features of <paramref name="text"/> into <paramref name="destination"/>, in order.</summary>
    public static void Compute(string text, IReadOnlyList<string> names, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(names);
        for (var i = 0; i < names.Count; i++)
        {
            destination[i] = Compute(text, names[i]);
        }
    }

    /// <summary>One feature of <paramref name="text"/>.</summary>
    public static float Compute(string text, string name) => name switch
    {
        LogLength => (float)Math.Log(1 + text.Length),
        LogWords => (float)Math.Log(1 + CountWords(text)),
        DigitRatio => text.Length == 0 ? 0 : (float)text.Count(char.IsAsciiDigit) / text.Length,
        HasCode => LooksLikeCode(text) ? 1 : 0,
        MathSymbols => (float)Math.Log(1 + text.Count(c => MathCharacters.Contains(c, StringComparison.Ordinal))),
        QuestionCount => Math.Min(5, text.Count(c => c is '?' or '？')),
        _ => throw new ArgumentException($"Unknown text feature '{name}'.", nameof(name)),
    };

    private static int CountWords(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                words++;
            }

            inWord = !space;
        }

        return words;
    }

    private static bool LooksLikeCode(string text)
    {
        if (text.Contains("```", StringComparison.Ordinal))
        {
            return true;
        }

        var markers = 0;
        foreach (var marker in CodeMarkers)
        {
            if (text.Contains(marker, StringComparison.Ordinal) && ++markers >= 2)
            {
                return true;
            }
        }

        return false;
    }
}
