using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// What the quality-loop tests send and read back: chat requests with chosen request ids, and governance's receipts,
/// quality observations and report for a tenant, each wait bounded.
/// </summary>
public sealed class QualityProbe(HybridSuite suite, string tenant)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends a chat request with <paramref name="requestId"/>; returns the answer and how long the caller waited.</summary>
    public static async Task<(Routed Routed, TimeSpan Elapsed)> ChatAsync(HttpClient http, string prompt, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Routed.Body(prompt)) };
        request.Headers.Add("x-request-id", requestId);
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        using var document = JsonDocument.Parse(text);
        return (new Routed((int)response.StatusCode, document.RootElement.Clone(), headers), elapsed);
    }

    /// <summary>Waits (up to 30 s) until governance's ledger holds the receipts of <paramref name="requestIds"/>.</summary>
    public async Task WaitForReceiptsAsync(params string[] requestIds)
    {
        using var admin = suite.AdminClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var export = await admin.GetStringAsync(new Uri($"/admin/ledger/export?tenant={tenant}", UriKind.Relative), Ct);
            var missing = requestIds.Where(id => !export.Contains(id, StringComparison.Ordinal)).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the receipts of {string.Join(", ", missing)} did not reach the ledger in 30 s");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>The tenant's quality observations (<c>GET /admin/tenants/{id}/quality</c>), by request id.</summary>
    public async Task<Dictionary<string, JsonElement>> ObservationsAsync()
    {
        using var admin = suite.AdminClient();
        var body = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/admin/tenants/{tenant}/quality", UriKind.Relative), Ct);
        return body.GetProperty("observations").EnumerateArray().ToDictionary(o => o.GetProperty("request_id").GetString()!, o => o.Clone());
    }

    /// <summary>Waits (up to <paramref name="timeout"/>, default 30 s) until shadow results of every id in <paramref name="requestIds"/> are observed.</summary>
    public async Task<Dictionary<string, JsonElement>> WaitForShadowResultsAsync(IReadOnlyCollection<string> requestIds, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var observed = await ObservationsAsync();
            var missing = requestIds.Where(id => !observed.TryGetValue(id, out var o) || o.GetProperty("shadow_parity").ValueKind == JsonValueKind.Null).ToList();
            if (missing.Count == 0)
            {
                return observed;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no shadow result for {string.Join(", ", missing)} within the wait");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>The tenant's report over the last hour (<c>GET /admin/tenants/{id}/report</c>).</summary>
    public async Task<JsonElement> ReportAsync()
    {
        using var admin = suite.AdminClient();
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return await admin.GetFromJsonAsync<JsonElement>(new Uri($"/admin/tenants/{tenant}/report?from={from}", UriKind.Relative), Ct);
    }

    /// <summary>The report row of <paramref name="key"/> in one of the report's quality groupings.</summary>
    public static JsonElement Row(JsonElement report, string grouping, string key) =>
        report.GetProperty(grouping).EnumerateArray().Single(r => r.GetProperty("key").GetString() == key);

    /// <summary>A 64-bit figure of a proto JSON object (int64s are strings there; absent means 0).</summary>
    public static long Figure(JsonElement element, string field) =>
        element.TryGetProperty(field, out var value) ? long.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;

    public static string NewId() => Guid.NewGuid().ToString("N");
}
