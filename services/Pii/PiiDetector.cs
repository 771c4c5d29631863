using HybridAI.Pii.Recognizers;

namespace HybridAI.Pii;

/// <summary>
/// Runs every recognizer over a text and resolves overlaps (higher score wins, then the longer span), so each
/// character belongs to at most one finding. Thread-safe and allocation-light: one instance serves all requests.
/// </summary>
public sealed class PiiDetector
{
    private readonly IPiiRecognizer[] _recognizers;
    private readonly double _minimumScore;

    public PiiDetector(double minimumScore = PiiScores.Confident, IEnumerable<IPiiRecognizer>? recognizers = null)
    {
        _minimumScore = minimumScore;
        _recognizers = (recognizers ?? DefaultRecognizers()).ToArray();
    }

    /// <summary>A detector with the shipped recognizers that keeps the findings of <paramref name="profile"/>.</summary>
    public PiiDetector(PiiProfile profile)
        : this(profile == PiiProfile.Recall ? PiiScores.Suspected : PiiScores.Confident)
    {
    }

    /// <summary>The shipped recognizers, one per entity type.</summary>
    public static IEnumerable<IPiiRecognizer> DefaultRecognizers() =>
    [
        new EmailRecognizer(), new CreditCardRecognizer(), new IbanRecognizer(), new UsSsnRecognizer(),
        new IpAddressRecognizer(), new UrlRecognizer(), new PhoneRecognizer(), new DateOfBirthRecognizer(),
        new PostalCodeRecognizer(), new StreetAddressRecognizer(), new PersonRecognizer(),
    ];

    /// <summary>Findings in <paramref name="text"/>, ordered by position, non-overlapping.</summary>
    public IReadOnlyList<PiiFinding> Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var scan = new PiiScan(text);
        var candidates = new List<PiiFinding>();
        foreach (var recognizer in _recognizers)
        {
            recognizer.Recognize(scan, candidates);
        }

        return Resolve(candidates, _minimumScore);
    }

    /// <summary>Keeps the best non-overlapping candidates at or above <paramref name="minimumScore"/>, ordered by start.</summary>
    public static List<PiiFinding> Resolve(List<PiiFinding> candidates, double minimumScore)
    {
        candidates.RemoveAll(c => c.Score < minimumScore || c.Length <= 0);
        candidates.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score)
            : b.Length != a.Length ? b.Length.CompareTo(a.Length) : a.Start.CompareTo(b.Start));

        var accepted = new List<PiiFinding>(candidates.Count);
        foreach (var candidate in candidates)
        {
            // accepted is ordered by Start; only the neighbours at the insertion point can overlap.
            var index = BinarySearchByStart(accepted, candidate.Start);
            if ((index > 0 && accepted[index - 1].Overlaps(candidate)) || (index < accepted.Count && accepted[index].Overlaps(candidate)))
            {
                continue;
            }

            accepted.Insert(index, candidate);
        }

        return accepted;
    }

    private static int BinarySearchByStart(List<PiiFinding> sorted, int start)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid].Start < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
