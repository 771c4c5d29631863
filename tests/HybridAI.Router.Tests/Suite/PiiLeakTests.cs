using System.Text.Json;
using HybridAI.Testing;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// Over the shared Presidio data set, what the external upstream received: under the tenant PII modes <c>redact</c>
/// and <c>local_only</c>, no structured identifier (card number, SSN, e-mail, IP address, phone number) ever reaches it.
/// Names, addresses and locations are detected with lower recall (docs/signals.md), so they are counted, not promised.
/// </summary>
public sealed class PiiLeakTests(HybridSuite suite)
{
    private static readonly HashSet<string> Structured = ["CREDIT_CARD", "US_SSN", "EMAIL_ADDRESS", "IP_ADDRESS", "PHONE_NUMBER"];

    [Theory]
    [InlineData(HybridSuite.TenantA)]
    [InlineData(HybridSuite.LocalOnlyTenant)]
    public async Task NoStructuredIdentifierFromThePresidioSetReachesTheExternalUpstream(string tenant)
    {
        using var http = suite.RouterClient(tenant);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(SharedDatasets.File("pii/presidio_generated_small.json"), TestContext.Current.CancellationToken));
        var samples = document.RootElement.EnumerateArray().ToList();
        var leaks = new List<string>();
        var refusals = new List<string>();

        foreach (var sample in samples)
        {
            var marker = Routed.Marker();
            var text = sample.GetProperty("full_text").GetString()!;
            var routed = await Routed.PostAsync(http, $"{HybridSuite.EchoMarker} {marker} Please tidy up this note: {text}", "hybrid-llm");
            if (routed.Status != 200)
            {
                refusals.Add(routed.Json.GetProperty("error").GetProperty("code").GetString()!);
            }

            var received = suite.Primary.Requests.Concat(suite.Backup.Requests).Where(r => r.Body.Contains(marker, StringComparison.Ordinal)).ToList();
            foreach (var span in sample.GetProperty("spans").EnumerateArray())
            {
                var type = span.GetProperty("entity_type").GetString()!;
                var value = span.GetProperty("entity_value").GetString()!;
                if (Structured.Contains(type) && received.Any(r => r.Body.Contains(value, StringComparison.Ordinal)))
                {
                    leaks.Add($"{type} '{value}' in: {text}");
                }
            }
        }

        Assert.True(leaks.Count == 0, $"{leaks.Count} structured identifiers reached the upstream:\n{string.Join("\n", leaks)}");
        // Redaction answers everything the guard lets through (one sample is a SQL injection string); local-only also
        // refuses, clearly, what it cannot keep local (no local generator here).
        string[] expected = tenant == HybridSuite.TenantA ? ["prompt_injection"] : ["prompt_injection", "no_target"];
        Assert.All(refusals, code => Assert.Contains(code, expected));
        Assert.True(refusals.Count(c => c == "prompt_injection") <= 2, string.Join(", ", refusals));
    }
}
