using HybridAI.Contracts.Common.V1;
using HybridAI.Router.Shadow;

namespace HybridAI.Router.Tests.Shadow;

public sealed class ShadowRubricTests
{
    [Theory]
    [InlineData("VERDICT: 1", 1.0)]
    [InlineData("VERDICT: 0", 0.0)]
    [InlineData("verdict:0.75", 0.75)]
    [InlineData("Reasoning first.\nVERDICT: **0.5**", 0.5)]
    public void ParsesTheVerdictLine(string text, double expected) => Assert.Equal(expected, ShadowRubric.Parse(text));

    [Theory]
    [InlineData("The candidate is good.")]
    [InlineData("VERDICT: 1.5")]
    [InlineData("VERDICT: high")]
    [InlineData("")]
    public void RefusesAnythingButAScoreWithinZeroAndOne(string text) => Assert.Null(ShadowRubric.Parse(text));

    [Theory]
    [InlineData("Billing", "billing.", true)]
    [InlineData("  card_arrival\n", "Card_Arrival", true)]
    [InlineData("lost card", "lost  card", true)]
    [InlineData("lost card", "stolen card", false)]
    public void ExactMatchIgnoresCaseSurroundingPunctuationAndSpacing(string candidate, string reference, bool same) =>
        Assert.Equal(same, ShadowRubric.ExactMatch(candidate, reference));

    [Fact]
    public void PromptHoldsTheConversationBothAnswersAndABoundedSize()
    {
        var prompt = ShadowRubric.Prompt([new ChatMessage { Role = "user", Content = new string('q', 20_000) }], "the reference", "the candidate");

        Assert.Contains("REFERENCE ANSWER:\nthe reference", prompt, StringComparison.Ordinal);
        Assert.Contains("CANDIDATE ANSWER:\nthe candidate", prompt, StringComparison.Ordinal);
        Assert.True(prompt.Length < (2 * ShadowRubric.MaxSectionChars) + 500, $"{prompt.Length} characters");
    }
}
