namespace HybridAI.Retrieval.Faq;

/// <summary>
/// Turns the similarity of a query to an FAQ question into the probability that the pair answers the query: logistic
/// (Platt) calibration, p = σ(a·cos + b), fitted on half of COVID-QA's paraphrase pairs
/// (<c>covid_faq_question_pairs.csv</c>, similar and non-similar) and evaluated on the other half by the
/// <c>retrieval</c> benchmark suite, which prints refitted coefficients next to these. The fit is of
/// all-MiniLM-L6-v2 cosine similarities: another embedding model needs its own.
/// </summary>
public static class FaqCalibration
{
    /// <summary>Slope a (fitted).</summary>
    public const double Slope = 16.0;

    /// <summary>Intercept b (fitted).</summary>
    public const double Intercept = -11.0;

    /// <summary>Default threshold on the calibrated probability (Retrieval:Faq:DefaultThreshold).</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>The calibrated probability for a cosine similarity.</summary>
    public static double Probability(double cosine) => 1 / (1 + Math.Exp(-((Slope * cosine) + Intercept)));
}
