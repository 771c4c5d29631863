using System.Text;
using System.Text.Json;
using HybridAI.Testing;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// Over the whole shared Presidio data set, what the external upstream received: under the tenant PII modes
/// <c>redact</c> and <c>local_only</c>, no labelled PII value of any type HybridAI detects (names, street addresses,
/// postal codes, e-mail, card, SSN, IP, phone, URL) reaches it as written. The values are compared with the decoded
/// JSON the upstream got (a value with accents or line breaks is escaped on the wire). Labels HybridAI does not treat
/// as personal data (LOCATION, ORGANIZATION, TITLE, DATE_TIME, US_DRIVER_LICENSE) are counted against an exact bound.
/// </summary>
public sealed class PiiLeakTests(HybridSuite suite)
{
    // Presidio's labels for the types HybridAI detects (HybridAI.Pii.Evaluation.PiiEvaluator.PresidioTypes).
    private static readonly HashSet<string> Detected =
        ["PERSON", "ADDRESS", "STREET_ADDRESS", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "PHONE_NUMBER", "DOMAIN_NAME", "URL", "ZIP"];

    /// <summary>
    /// Under redact and under local-only, no value of a detected type reaches the upstream. Labelled values that do are
    /// places, organisations, titles ("Mr.") and times, held to an exact count.
    /// </summary>
    [Theory]
    [InlineData(HybridSuite.TenantA, 12)]
    [InlineData(HybridSuite.LocalOnlyTenant, 2)]
    public async Task NoPiiValueFromThePresidioSetReachesTheExternalUpstream(string tenant, int otherLeakBound)
    {
        using var http = suite.RouterClient(tenant);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(SharedDatasets.File("pii/presidio_generated_small.json"), TestContext.Current.CancellationToken));
        var samples = document.RootElement.EnumerateArray().ToList();
        var leaks = new List<string>();
        var otherLeaks = new List<string>();
        var refusals = new List<string>();
        var unattributed = new List<string>();

        for (var index = 0; index < samples.Count; index++)
        {
            var sample = samples[index];
            var marker = Marker(tenant, index);
            var text = sample.GetProperty("full_text").GetString()!;
            var routed = await Routed.PostAsync(http, $"{HybridSuite.EchoMarker} {marker} Please tidy up this note: {text}", "hybrid-llm");
            if (routed.Status != 200)
            {
                refusals.Add(routed.Json.GetProperty("error").GetProperty("code").GetString()!);
            }

            var received = suite.Primary.Requests.Concat(suite.Backup.Requests)
                .Where(r => r.Body.Contains(marker, StringComparison.Ordinal)).Select(r => DecodedStrings(r.Body)).ToList();
            // A cached answer (the set repeats some texts) sends nothing; anything else answered must be on record.
            if (routed.Status == 200 && received.Count == 0 && routed.Route != "cache")
            {
                unattributed.Add(routed.Route + " " + text);
            }
            foreach (var span in sample.GetProperty("spans").EnumerateArray())
            {
                var type = span.GetProperty("entity_type").GetString()!;
                var value = span.GetProperty("entity_value").GetString()!;
                if (received.Any(r => r.Contains(value, StringComparison.Ordinal)))
                {
                    (Detected.Contains(type) ? leaks : otherLeaks).Add($"{type} '{value}'");
                }
            }
        }

        Assert.True(unattributed.Count == 0, $"{unattributed.Count} answered samples are not in the upstream's records:\n{string.Join("\n", unattributed.Take(5))}");
        Assert.True(leaks.Count == 0, $"{leaks.Count} PII values reached the upstream:\n{string.Join("\n", leaks)}");
        // Places, organisations, titles and times are not personal data by HybridAI's policy; suspected names catch
        // most of them anyway. This bound is exact, so a change either way is seen.
        Assert.True(otherLeaks.Count == otherLeakBound, $"{otherLeaks.Count} other labelled values reached the upstream (bound {otherLeakBound}):\n{string.Join("\n", otherLeaks)}");

        // Redaction answers everything the guard lets through (one sample is a SQL injection string); local-only also
        // refuses, clearly, what it cannot keep local (no local generator here).
        string[] expected = tenant == HybridSuite.TenantA ? ["prompt_injection"] : ["prompt_injection", "no_target"];
        Assert.All(refusals, code => Assert.Contains(code, expected));
        Assert.True(refusals.Count(c => c == "prompt_injection") <= 2, string.Join(", ", refusals));
    }

    private static readonly string[] Colours = ["red", "blue", "green", "amber", "grey", "pink", "teal", "olive", "ivory", "plum", "navy", "gold", "lime", "rust", "sand"];
    private static readonly string[] Animals = ["otter", "heron", "badger", "lynx", "moth", "newt", "crane", "stoat", "wren", "vole", "hare", "finch", "trout", "gecko", "ibis"];

    /// <summary>
    /// A marker that is itself no PII (ordinary lower-case words: <see cref="Routed.Marker"/>'s ten digits read as a
    /// phone number and would be redacted) and the same on every run, so the guard scores the same texts each time.
    /// </summary>
    private static string Marker(string tenant, int index) =>
        $"ref {(tenant == HybridSuite.TenantA ? "north" : "south")} {Colours[index / Animals.Length % Colours.Length]} {Animals[index % Animals.Length]}";

    /// <summary>Every string in a JSON body, unescaped and joined by line breaks.</summary>
    private static string DecodedStrings(string body)
    {
        using var json = JsonDocument.Parse(body);
        var builder = new StringBuilder();
        Collect(json.RootElement, builder);
        return builder.ToString();

        static void Collect(JsonElement element, StringBuilder builder)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    builder.Append(element.GetString()).Append('\n');
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value, builder);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, builder);
                    }

                    break;
            }
        }
    }
}
