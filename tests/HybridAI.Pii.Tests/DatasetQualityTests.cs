using HybridAI.Pii.Evaluation;
using HybridAI.Testing;

namespace HybridAI.Pii.Tests;

/// <summary>
/// Quality floors on public labelled data (the figures themselves are reported by `hybridai eval pii`): the
/// structured types the issue names must keep F2 ≥ 0.95, so a regression in a recognizer fails the build.
/// </summary>
public sealed class DatasetQualityTests(ITestOutputHelper output)
{
    private static readonly string[] StructuredTypes =
        [PiiEntityTypes.Email, PiiEntityTypes.CreditCard, PiiEntityTypes.UsSsn, PiiEntityTypes.IpAddress, PiiEntityTypes.PhoneNumber];

    [Fact]
    public void PresidioDevSetKeepsF2AtLeast095ForStructuredTypes()
    {
        using var file = File.OpenRead(SharedDatasets.File("pii/presidio_generated_small.json"));
        var examples = PiiEvaluator.LoadPresidio(file, out _);

        var scores = PiiEvaluator.Evaluate(new PiiDetector(), examples);

        Report(scores);
        foreach (var type in StructuredTypes)
        {
            var score = scores.Single(s => s.Type == type);
            Assert.True(score.F2 >= 0.95, $"{type}: F2 {score.F2:F3} (P {score.Precision:F3}, R {score.Recall:F3})");
        }
    }

    [Fact]
    public void TemplateSamplesKeepF2AtLeast095ForStructuredTypesAndIban()
    {
        var templates = File.ReadAllLines(SharedDatasets.File("pii/presidio_templates.txt"));
        var examples = TemplateSamples.Generate(templates, 3000, seed: 7);

        var scores = PiiEvaluator.Evaluate(new PiiDetector(), examples);

        Report(scores);
        foreach (var type in StructuredTypes.Append(PiiEntityTypes.Iban))
        {
            var score = scores.Single(s => s.Type == type);
            Assert.True(score.Gold > 0, $"{type} has no labelled spans");
            Assert.True(score.F2 >= 0.95, $"{type}: F2 {score.F2:F3} (P {score.Precision:F3}, R {score.Recall:F3})");
        }
    }

    private void Report(IReadOnlyList<PiiTypeScore> scores)
    {
        foreach (var s in scores)
        {
            output.WriteLine($"{s.Type,-15} gold {s.Gold,4} pred {s.Predicted,4} P {s.Precision:F3} R {s.Recall:F3} F2 {s.F2:F3}");
        }
    }
}
