using Grpc.Net.Client;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Retrieval.Faq;
using HybridAI.Retrieval.Storage.Embedded;
using HybridAI.Testing;
using HybridAI.Testing.Data;

namespace HybridAI.Retrieval.Tests.Service;

/// <summary>The shipped calibration is what fitting COVID-QA's calibration half gives, and it is calibrated on the other half.</summary>
public sealed class FaqCalibrationTests(InferenceServer inference)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void FittingRecoversKnownCoefficients()
    {
        var random = new Random(3);
        var samples = Enumerable.Range(0, 4000).Select(_ =>
        {
            var x = random.NextDouble();
            var p = 1 / (1 + Math.Exp(-((10 * x) - 6)));
            return (x, random.NextDouble() < p);
        }).ToList();

        var (slope, intercept) = FaqCalibration.Fit(samples);
        Assert.InRange(slope, 9, 11);
        Assert.InRange(intercept, -6.7, -5.3);
    }

    [Fact]
    public async Task ShippedCoefficientsMatchAFitOnTheCovidQaPairsAndAreCalibratedOnTheHeldOutHalf()
    {
        var pairs = Csv.Read(SharedDatasets.File("rag/covid_faq_question_pairs.csv"))
            .Select(r => (Faq: r["question_1"].Trim(), Query: r["question_2"].Trim(), Similar: r["similar"] == "1")).ToList();
        var texts = pairs.SelectMany(p => new[] { p.Faq, p.Query }).Distinct().ToList();
        using var channel = GrpcChannel.ForAddress(inference.Service.GrpcAddress);
        var client = new InferenceService.InferenceServiceClient(channel);
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var batch in texts.Chunk(128))
        {
            var response = await client.EmbedAsync(new EmbedRequest { Texts = { batch } }, cancellationToken: Ct);
            for (var i = 0; i < batch.Length; i++)
            {
                vectors[batch[i]] = [.. response.Embeddings[i].Values];
            }
        }

        List<(double Cosine, bool Similar)> Samples(int half) =>
            [.. pairs.Where((_, i) => i % 2 == half).Select(p => ((double)VectorMath.Dot(vectors[p.Query], vectors[p.Faq]), p.Similar))];

        var (slope, intercept) = FaqCalibration.Fit(Samples(0));
        Assert.Equal(FaqCalibration.Slope, slope, 0.05);
        Assert.Equal(FaqCalibration.Intercept, intercept, 0.05);

        var heldOut = Samples(1);
        var brier = heldOut.Average(s => Math.Pow(FaqCalibration.Probability(s.Cosine) - (s.Similar ? 1 : 0), 2));
        var baseRate = heldOut.Average(s => s.Similar ? 1.0 : 0.0);
        var baseline = heldOut.Average(s => Math.Pow(baseRate - (s.Similar ? 1 : 0), 2));
        Assert.True(brier < baseline * 0.5, $"Brier {brier:F3} should be well below the base rate's {baseline:F3}");
        var accepted = heldOut.Where(s => FaqCalibration.Probability(s.Cosine) >= FaqCalibration.DefaultThreshold).ToList();
        Assert.True(accepted.Count(s => s.Similar) >= accepted.Count * 0.85, "at the default threshold at least 85% of accepted pairs are paraphrases");
        var different = heldOut.Where(s => !s.Similar).ToList();
        Assert.True(different.Count(s => FaqCalibration.Probability(s.Cosine) >= FaqCalibration.DefaultThreshold) <= different.Count * 0.1,
            "at the default threshold at most 10% of held-out non-similar pairs are accepted");
    }
}
