using System.Net;
using HybridAI.Governance.OperatorConsole.Quality;
using HybridAI.Governance.Tests.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.Governance.Tests.OperatorConsole;

/// <summary>
/// The quality view's extension point: whatever <see cref="ICalibrationInsights"/> the host registers fills the
/// "Thresholds and calibration" section (thresholds in force, their history, the cost/quality curve).
/// </summary>
public sealed class CalibrationSectionTests : IDisposable
{
    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task RegisteredCalibrationInsightsFillTheThresholdsSection()
    {
        await _host.CreateTenantAsync("acme");
        var insights = new CalibrationInsights(
            [new ThresholdValue("needs-llm", 0.42), new ThresholdValue("faq-score", 0.7)],
            [new ThresholdChange(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero), "needs-llm", 0.3, 0.42, "applied", "admin")],
            [new CostQualityPoint("0.2", 1.2, 0.99, 0.6, false), new CostQualityPoint("0.42", 0.8, 0.96, 0.35, true)],
            ">= 95 % parity at minimum cost");
        using var factory = _host.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<ICalibrationInsights>(new FixedInsights(insights))));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var login = await client.PostAsync(new Uri("/console/login", UriKind.Relative), new FormUrlEncodedContent([new("key", GovernanceHost.AdminKey)]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var page = await client.GetStringAsync(new Uri("/console/quality?tenant=acme", UriKind.Relative), Ct);
        var allTenants = await client.GetStringAsync(new Uri("/console/quality", UriKind.Relative), Ct);

        Assert.Contains("Target: &gt;= 95 % parity at minimum cost.", page, StringComparison.Ordinal);
        Assert.Contains("""<tr data-threshold="needs-llm"><td>needs-llm</td><td class="num">0.42</td></tr>""", page, StringComparison.Ordinal);
        Assert.Contains("<td>applied</td><td>admin</td>", page, StringComparison.Ordinal);
        Assert.Contains("""data-series="parity" data-x="0.42 (chosen)" data-value="96" """, page, StringComparison.Ordinal);
        Assert.Contains("choose a tenant", allTenants, StringComparison.Ordinal);
        Assert.DoesNotContain("chart-cost-quality", allTenants, StringComparison.Ordinal);
    }

    private sealed class FixedInsights(CalibrationInsights insights) : ICalibrationInsights
    {
        public Task<CalibrationInsights?> GetAsync(string tenantId, CancellationToken cancellationToken) =>
            Task.FromResult<CalibrationInsights?>(tenantId == "acme" ? insights : null);
    }
}
