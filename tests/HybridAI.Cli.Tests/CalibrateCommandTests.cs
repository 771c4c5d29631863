using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using HybridAI.Cli.Commands;
using HybridAI.Testing;
using HybridAI.Testing.Quality;

namespace HybridAI.Cli.Tests;

[Collection(nameof(ConsoleCollection))]
public sealed class CalibrateCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hybridai-calibrate-");

    [Fact]
    public async Task SamplesGiveAProposalWithItsCurveTableChartAndHeldBackCheck()
    {
        var data = Path.Combine(_dir.FullName, "samples.jsonl");
        var random = new Random(3);
        await File.WriteAllLinesAsync(data, Enumerable.Range(0, 2000).Select(_ =>
        {
            var p = Math.Round(random.NextDouble(), 3);
            var parity = random.NextDouble() < 0.5 * p ? 0 : 1;
            return string.Create(CultureInfo.InvariantCulture, $$"""{"needs_llm_probability":{{p}},"parity":{{parity}},"slm_cost_micros":100,"llm_cost_micros":2000,"source":"judge"}""");
        }), TestContext.Current.CancellationToken);
        var chart = Path.Combine(_dir.FullName, "curve.svg");

        var (code, output) = await RunAsync("calibrate", "--data", data, "--target", "parity>=0.9", "--chart", chart, "--holdout", "0.5", "--seed", "5");

        Assert.True(code == 0, output);
        Assert.Contains("proposed", output, StringComparison.Ordinal);
        Assert.Contains("held back (1000 samples)", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.Equal("proposed", root.GetProperty("status").GetString());
        Assert.Equal(1000, root.GetProperty("n").GetInt32());
        Assert.True(root.GetProperty("parity_lower_bound").GetDouble() >= 0.9);
        Assert.True(root.GetProperty("savings").GetDouble() > 0.2);
        Assert.Equal(1000, root.GetProperty("holdout").GetProperty("n").GetInt32());
        Assert.Equal(0.3, root.GetProperty("current").GetProperty("threshold").GetDouble());
        Assert.Equal("svg", XDocument.Load(chart).Root!.Name.LocalName);
    }

    [Fact]
    public async Task RoutingLabelsAreScoredByTheHeadWithTheLabelsAsJudge()
    {
        var data = Path.Combine(_dir.FullName, "labels.jsonl");
        await File.WriteAllLinesAsync(data, RoutingLabels.Sample(300, seed: 1).Select(p => JsonSerializer.Serialize(new
        {
            prompt = p.Prompt,
            weak_correct = p.WeakCorrect,
            strong_correct = p.StrongCorrect,
        })), TestContext.Current.CancellationToken);

        var (code, output) = await RunAsync("calibrate", "--data", data, "--target", "llm-share<=0.5", "--head", ShippedHead,
            "--cache-dir", Path.Combine(Path.GetTempPath(), "hybridai-tests"), "--no-embedding-cache");

        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal(300, json.RootElement.GetProperty("n").GetInt32());
        Assert.True(json.RootElement.GetProperty("llm_share").GetDouble() <= 0.5);
    }

    [Fact]
    public async Task AnUnreachableTargetExitsWithTwoAndSaysSo()
    {
        var data = Path.Combine(_dir.FullName, "hard.jsonl");
        await File.WriteAllLinesAsync(data, Enumerable.Range(0, 300).Select(i => string.Create(CultureInfo.InvariantCulture,
            $$"""{"needs_llm_probability":{{i / 300.0}},"parity":0,"slm_cost_micros":1,"llm_cost_micros":10}""")), TestContext.Current.CancellationToken);

        var (code, output) = await RunAsync("calibrate", "--data", data, "--target", "parity>=0.99, llm-share<=0.5");

        Assert.Equal(CalibrateCommand.NoProposal, code);
        Assert.Contains("Target unreachable on this data", output, StringComparison.Ordinal);
        Assert.Equal("unreachable", JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("parity=0.9", "has no >= or <=")]
    [InlineData("cost<=5", "not a target metric")]
    public async Task AMalformedTargetIsOneErrorLine(string target, string expected)
    {
        var data = Path.Combine(_dir.FullName, "one.jsonl");
        await File.WriteAllTextAsync(data, """{"needs_llm_probability":0.5,"parity":1,"slm_cost_micros":1,"llm_cost_micros":10}""", TestContext.Current.CancellationToken);

        var (code, output) = await RunAsync("calibrate", "--data", data, "--target", target);

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", output, StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalNeedsLlmDrawsTheCurveWithApgrAndTheThresholdPoint()
    {
        var data = Path.Combine(_dir.FullName, "labels.jsonl");
        await File.WriteAllLinesAsync(data, RoutingLabels.Sample(200, seed: 2).Select(p => JsonSerializer.Serialize(new
        {
            prompt = p.Prompt,
            weak_correct = p.WeakCorrect,
            strong_correct = p.StrongCorrect,
        })), TestContext.Current.CancellationToken);
        var chart = Path.Combine(_dir.FullName, "needs-llm.svg");

        var (code, output) = await RunAsync("eval", "needs-llm", "--data", data, "--head", ShippedHead, "--chart", chart, "--threshold", "0.5",
            "--cache-dir", Path.Combine(Path.GetTempPath(), "hybridai-tests"), "--no-embedding-cache");

        Assert.True(code == 0, output);
        var texts = XDocument.Load(chart).Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value).ToList();
        Assert.Contains(texts, t => t.StartsWith("needs-llm head: APGR ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("threshold 0.5: ", StringComparison.Ordinal));
    }

    private static string ShippedHead => Path.Combine(SharedDatasets.RepositoryRoot(), "services", "SlmInference", "heads", "needs-llm.head.json");

    private static Task<(int Code, string Output)> RunAsync(params string[] args) => CliConsole.RunAsync(args);

    public void Dispose() => _dir.Delete(recursive: true);
}
