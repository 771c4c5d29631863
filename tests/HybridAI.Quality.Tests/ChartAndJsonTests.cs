using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using HybridAI.Quality.Calibration;
using HybridAI.Quality.Charts;

namespace HybridAI.Quality.Tests;

public sealed class ChartAndJsonTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void ChartIsSelfContainedSvgWithAxesTargetAndChosenPoint()
    {
        var result = Calibrator.Calibrate(Synthetic.Traffic(800, seed: 1), ThresholdSignal.NeedsLlm, CalibrationTarget.Parse("parity>=0.9"), currentThreshold: 0.9);

        var document = XDocument.Parse(CalibrationChart.ToSvg(result));

        Assert.Equal(Svg + "svg", document.Root!.Name);
        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName is "script" or "image" or "use");
        Assert.Single(document.Descendants(Svg + "polyline"));
        Assert.Equal(2, document.Descendants(Svg + "circle").Count());
        var texts = document.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("share of requests on the LLM tier", texts);
        Assert.Contains("parity with the LLM tier", texts);
        Assert.Contains(texts, t => t.StartsWith("target parity ≥ 90", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("proposed ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("now 0.9", StringComparison.Ordinal));
    }

    [Fact]
    public void ChartEscapesTextItDraws()
    {
        var svg = new CurveChart { Title = "a <b> & c", XLabel = "x", YLabel = "y", Points = [(0, 0.5), (1, 1)] }.ToSvg();

        Assert.Contains("a &lt;b&gt; &amp; c", svg, StringComparison.Ordinal);
        Assert.NotNull(XDocument.Parse(svg).Root);
    }

    [Fact]
    public void SamplesRoundTripThroughJsonLines()
    {
        var sample = new CalibrationSample(0.25, 0.8, -0.7, 0.5, 120, 2400) { Source = "judge" };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            CalibrationSampleJson.Write(writer, sample);
        }

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Encoding.UTF8.GetString(buffer.ToArray()) + "\n\n");
            Assert.Equal(sample, Assert.Single(CalibrationSampleJson.Read(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{\"needs_llm_probability\":0.2,\"slm_cost_micros\":1,\"llm_cost_micros\":2}", "missing parity")]
    [InlineData("{\"needs_llm_probability\":0.2,\"parity\":2,\"slm_cost_micros\":1,\"llm_cost_micros\":2}", "parity must be between 0 and 1")]
    [InlineData("{\"needs_llm_probability\":\"high\",\"parity\":1,\"slm_cost_micros\":1,\"llm_cost_micros\":2}", "needs_llm_probability must be a number")]
    [InlineData("{\"needs_llm_probability\":0.2,\"parity\":1,\"slm_cost_micros\":-1,\"llm_cost_micros\":2}", "must not be negative")]
    [InlineData("not json", ":1:")]
    public void BadSampleLinesNameTheFileLineAndField(string line, string expected)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, line);
            var error = Assert.Throws<FormatException>(() => CalibrationSampleJson.Read(path));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
