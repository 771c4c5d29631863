using HybridAI.Governance.OperatorConsole.Charts;

namespace HybridAI.Governance.Tests.OperatorConsole;

public sealed class SvgChartTests
{
    [Theory]
    [InlineData(0.0034, 0.004, 0.001)]
    [InlineData(7, 8, 2)]
    [InlineData(1200, 1500, 500)]
    [InlineData(0, 1, 0.25)]
    public void ScalesTheValueAxisToARoundMaximum(double max, double top, double step)
    {
        var (actualTop, actualStep) = Svg.NiceScale(max);

        Assert.Equal(top, actualTop, 12);
        Assert.Equal(step, actualStep, 12);
    }

    [Fact]
    public void DrawsAPointPerBucketWithItsExactValueAndALegend()
    {
        var svg = Charts.Lines("c", "Cost", ["10:00", "11:00"], [new Series("cost", "#000", [0.1, 0.25])], Svg.Usd, "USD", "time");

        Assert.Contains("""<circle class="point" data-series="cost" data-x="11:00" data-value="0.25" """, svg, StringComparison.Ordinal);
        Assert.Contains("""<g class="legend">""", svg, StringComparison.Ordinal);
        Assert.Contains("<text class=\"axis-label\"", svg, StringComparison.Ordinal);
        Assert.EndsWith("</svg>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void EscapesLabelsThatCameFromTenants()
    {
        var svg = Charts.Bars("c", "cost by model", [("<script>alert(1)</script>", 1)], "#000", Svg.Usd, "USD");

        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void SaysSoWhenThereIsNothingToDraw()
    {
        var svg = Charts.StackedColumns("c", "Requests", ["10:00"], [new Series("slm", "#000", [0])], Svg.Count, "requests", "time");

        Assert.Contains("No receipts in this range", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"bar\"", svg, StringComparison.Ordinal);
    }
}
