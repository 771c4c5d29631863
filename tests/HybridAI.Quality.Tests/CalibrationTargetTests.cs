using HybridAI.Quality.Calibration;

namespace HybridAI.Quality.Tests;

public sealed class CalibrationTargetTests
{
    [Theory]
    [InlineData("parity>=0.95", 0.95, null)]
    [InlineData(" parity >= 95% ", 0.95, null)]
    [InlineData("llm-share<=0.30", null, 0.30)]
    [InlineData("llm_share <= 30%", null, 0.30)]
    [InlineData("parity>=0.9, llm-share<=0.5", 0.9, 0.5)]
    public void ParsesParityFloorsAndLlmShareCeilings(string text, double? parity, double? share)
    {
        var target = CalibrationTarget.Parse(text);

        Assert.Equal(parity, target.MinParity);
        Assert.Equal(share, target.MaxLlmShare);
        Assert.Equal(target, CalibrationTarget.Parse(target.ToString()));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("parity 0.95", "no >= or <=")]
    [InlineData("parity<=0.95", "wrong way")]
    [InlineData("llm-share>=0.3", "wrong way")]
    [InlineData("latency<=200", "not a target metric")]
    [InlineData("parity>=1.5", "between 0 and 1")]
    [InlineData("parity>=abc", "fraction (0.95) or a percentage")]
    [InlineData("parity>=0.9,parity>=0.8", "twice")]
    public void RejectsMalformedTargetsWithAMessageSayingWhy(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => CalibrationTarget.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinimisesCostOnlyWhenAParityFloorIsGiven()
    {
        Assert.True(CalibrationTarget.Parse("parity>=0.9").MinimisesCost);
        Assert.False(CalibrationTarget.Parse("llm-share<=0.3").MinimisesCost);
    }
}
