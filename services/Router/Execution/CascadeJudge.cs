using System.Globalization;

namespace HybridAI.Router.Execution;

/// <summary>
/// Decides whether an SLM answer is good enough to send, or must be escalated to the LLM tier: an empty answer, a
/// refusal (it starts with one of <c>Router:Cascade:RefusalPrefixes</c>), or a mean token log-probability below
/// <c>Router:Policy:Thresholds:MeanLogprob</c> (the model was unsure of its own words).
/// </summary>
public static class CascadeJudge
{
    /// <summary>Null when the answer stands; otherwise why it is escalated.</summary>
    public static string? Weakness(string text, double meanLogprob, int tokens, double minMeanLogprob, IReadOnlyList<string> refusalPrefixes)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsWhiteSpace())
        {
            return "the local answer was empty";
        }

        foreach (var prefix in refusalPrefixes)
        {
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return $"the local answer is a refusal (\"{prefix}…\")";
            }
        }

        if (tokens > 0 && meanLogprob < minMeanLogprob)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the local answer's mean log-probability {meanLogprob:0.###} < {minMeanLogprob:0.###}");
        }

        return null;
    }

    /// <summary>Whether text seen so far may still turn into a refusal (a prefix of some refusal prefix): hold it back.</summary>
    public static bool MayBecomeRefusal(string text, IReadOnlyList<string> refusalPrefixes)
    {
        var trimmed = text.AsSpan().TrimStart();
        foreach (var prefix in refusalPrefixes)
        {
            if (trimmed.Length < prefix.Length && prefix.AsSpan().StartsWith(trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
