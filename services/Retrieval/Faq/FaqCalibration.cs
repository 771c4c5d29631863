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
    public const double Slope = 14.69;

    /// <summary>Intercept b (fitted).</summary>
    public const double Intercept = -7.83;

    /// <summary>
    /// Default threshold on the calibrated probability (Retrieval:Faq:DefaultThreshold): chosen on the calibration half as
    /// the lowest (in steps of 0.05) accepting at most 5% of its non-similar pairs. A wrong FAQ answer costs more than
    /// escalating to the LLM tier, hence well above 0.5.
    /// </summary>
    public const double DefaultThreshold = 0.7;

    /// <summary>The calibrated probability for a cosine similarity.</summary>
    public static double Probability(double cosine) => Sigmoid((Slope * cosine) + Intercept);

    /// <summary>
    /// Fits p = σ(a·x + b) to labelled similarities by maximum likelihood (Newton's method, a tiny ridge for separable
    /// data): what the benchmark runs to produce <see cref="Slope"/> and <see cref="Intercept"/>.
    /// </summary>
    public static (double Slope, double Intercept) Fit(IReadOnlyList<(double Cosine, bool Similar)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        double a = 0, b = 0;
        const double ridge = 1e-3;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = -ridge * a, gb = 0, haa = ridge, hab = 0, hbb = 1e-9;
            foreach (var (x, similar) in samples)
            {
                var p = Sigmoid((a * x) + b);
                var error = (similar ? 1 : 0) - p;
                var weight = p * (1 - p);
                ga += error * x;
                gb += error;
                haa += weight * x * x;
                hab += weight * x;
                hbb += weight;
            }

            var determinant = (haa * hbb) - (hab * hab);
            var da = ((hbb * ga) - (hab * gb)) / determinant;
            var db = ((haa * gb) - (hab * ga)) / determinant;
            a += da;
            b += db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-9)
            {
                break;
            }
        }

        return (a, b);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
