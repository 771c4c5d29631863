namespace HybridAI.Pii;

/// <summary>Which findings a <see cref="PiiDetector"/> keeps.</summary>
public enum PiiProfile
{
    /// <summary>Confident findings only (score at or above <see cref="PiiScores.Confident"/>): data classes, Explain, audits.</summary>
    Precise,

    /// <summary>
    /// Also suspected ones (<see cref="PiiScores.Suspected"/>): words that only look like names or address lines. For
    /// redaction, where a missed name leaks and a needless placeholder costs only a little answer quality.
    /// </summary>
    Recall,
}
