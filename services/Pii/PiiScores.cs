namespace HybridAI.Pii;

/// <summary>The score bands findings fall in, and the two detection profiles they define.</summary>
public static class PiiScores
{
    /// <summary>
    /// The least score of a confident finding: the precise profile (the default) keeps findings from here up, and the
    /// data class follows from these.
    /// </summary>
    public const double Confident = 0.5;

    /// <summary>
    /// The score of a suspected finding: a word that only looks like a name or an address part (an unknown capitalised
    /// word, a number-word-number line) with no other evidence. Only the recall profile keeps these.
    /// </summary>
    public const double Suspected = 0.4;

    /// <summary>Whether a finding is confident (at or above <see cref="Confident"/>) rather than only suspected.</summary>
    public static bool IsConfident(double score) => score >= Confident;
}
