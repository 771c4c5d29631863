using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HybridAI.Contracts.Common.V1;

namespace HybridAI.Router.Shadow;

/// <summary>
/// The judge's fixed rubric: the conversation, the LLM tier's answer as the reference and the served answer as the
/// candidate, and one line back, <c>VERDICT: &lt;0..1&gt;</c>. Fixed so that verdicts stay comparable over time and across
/// tenants; the conversation and answers are cut to a bounded size.
/// </summary>
public static partial class ShadowRubric
{
    /// <summary>Tokens the rubric adds around the texts (for the budget's worst case).</summary>
    public const int OverheadTokens = 250;

    public const int MaxSectionChars = 8000;

    public const string System = """
        You are an impartial evaluator. You compare a CANDIDATE answer with a REFERENCE answer that a strong model wrote for the
        same conversation, and judge whether the candidate serves the user as well as the reference: correct, complete for what
        was asked, and not misleading. Style, tone and length do not matter. A refusal, or an answer to a different question,
        is worth 0.
        Reply with one line and nothing else: VERDICT: <score>
        where <score> is a number from 0 to 1 (1: as good as the reference or better; 0.5: partly correct or incomplete; 0: wrong or unhelpful).
        """;

    public static string Prompt(IEnumerable<ChatMessage> conversation, string reference, string candidate)
    {
        var text = new StringBuilder();
        foreach (var message in conversation)
        {
            text.Append(message.Role).Append(": ").AppendLine(message.Content);
        }

        return $"""
            CONVERSATION:
            {Tail(text.ToString())}

            REFERENCE ANSWER:
            {Head(reference)}

            CANDIDATE ANSWER:
            {Head(candidate)}

            Reply with VERDICT: <score>.
            """;
    }

    /// <summary>The verdict's score, or null when the judge did not answer in the rubric's form.</summary>
    public static double? Parse(string text)
    {
        var match = Verdict().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
        {
            return null;
        }

        return score is >= 0 and <= 1 ? score : null;
    }

    /// <summary>Exact match of two label-like answers: case, surrounding whitespace and punctuation, and inner runs of whitespace ignored.</summary>
    public static bool ExactMatch(string candidate, string reference) =>
        string.Equals(Normalize(candidate), Normalize(reference), StringComparison.Ordinal);

    private static string Normalize(string text) =>
        Whitespace().Replace(text.Trim().Trim('.', '!', '"', '\'', '`').Trim(), " ").ToLowerInvariant();

    private static string Head(string text) => text.Length <= MaxSectionChars ? text : text[..MaxSectionChars] + " …";

    private static string Tail(string text) => text.Length <= MaxSectionChars ? text : "… " + text[^MaxSectionChars..];

    [GeneratedRegex(@"VERDICT\s*:\s*\**\s*([0-9]+(?:\.[0-9]+)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Verdict();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
