using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace HybridAI.Pii.Tests;

public sealed class ScalingTests
{
    [Fact]
    public void EveryPatternUsesTheNonBacktrackingEngine()
    {
        var patterns = typeof(PiiDetector).Assembly.GetType("HybridAI.Pii.Recognizers.Patterns")!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetValue(null)).OfType<Regex>().ToList();

        Assert.NotEmpty(patterns);
        Assert.All(patterns, p => Assert.True(p.Options.HasFlag(RegexOptions.NonBacktracking), p.ToString()));
    }

    [Fact]
    public void HugeAdversarialTextIsScannedCompletely()
    {
        // Inputs that make backtracking engines blow up (long near-misses), then one real finding at the very end.
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            text.Append("1-2-3-4-5-6-7-8-9-0-1-2 a@b@c.d.e.f x:y:z ");
        }

        text.Append("last: anna@example.com");
        var scanned = text.ToString();

        var findings = new PiiDetector().Detect(scanned);

        Assert.True(scanned.Length > 800_000);
        Assert.Contains(findings, f => f.Type == PiiEntityTypes.Email && scanned[f.Start..f.End] == "anna@example.com");
    }

    [Fact]
    public void HugeTextOfNameAndAddressLookalikesIsScannedInOnePass()
    {
        // Every sentence holds a name, a suspected name and an address block: the recall profile's worst case.
        var text = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            text.Append("Zyxar Qualm said Morvath lives at 12 Jakobi 69, Laane\nApt. 4\nVOV 12345. ");
        }

        var scanned = text.ToString();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var findings = new PiiDetector(PiiProfile.Recall).Detect(scanned);
        stopwatch.Stop();

        Assert.True(scanned.Length > 700_000);
        Assert.Equal(10_000, findings.Count(f => f.Type == PiiEntityTypes.StreetAddress));
        Assert.Equal(20_000, findings.Count(f => f.Type == PiiEntityTypes.Person));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"{stopwatch.Elapsed} for {scanned.Length:N0} characters");
    }
}
