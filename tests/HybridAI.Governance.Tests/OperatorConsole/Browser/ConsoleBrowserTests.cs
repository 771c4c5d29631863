using System.Globalization;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Tests.Api;
using HybridAI.Testing.Services;
using Microsoft.Playwright;

namespace HybridAI.Governance.Tests.OperatorConsole.Browser;

/// <summary>
/// The console in a real browser: governance on a loopback port, receipts recorded through its gRPC API, then
/// chromium signs in through the form and the charts are read back from the rendered page.
/// </summary>
public sealed class ConsoleBrowserTests : IDisposable
{
    private const float Timeout = 15_000;
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N"));
    private readonly LoopbackService<GovernanceOptions> _governance;

    public ConsoleBrowserTests()
    {
        _governance = new LoopbackService<GovernanceOptions>("governance", new Dictionary<string, string?>
        {
            ["Governance:AdminApiKey"] = GovernanceHost.AdminKey,
            ["Governance:DataPath"] = _dataPath,
        });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OperatorSignsInAndSeesChartsDrawnFromRecordedReceipts()
    {
        await SeedAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        page.SetDefaultTimeout(Timeout);

        await page.GotoAsync(new Uri(_governance.HttpAddress, "/console").ToString());
        Assert.EndsWith("/console/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#key", "not-the-admin-key-0123456789");
        await page.ClickAsync("#sign-in");
        Assert.Equal("That is not the admin key.", await page.InnerTextAsync("p.error"));

        await page.FillAsync("#key", GovernanceHost.AdminKey);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#chart-route-mix");
        Assert.EndsWith("/console", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(GovernanceHost.AdminKey, page.Url, StringComparison.Ordinal);
        var cookie = Assert.Single(await page.Context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(GovernanceHost.AdminKey, cookie.Value, StringComparison.Ordinal);

        // Route mix: one rect per (hour, route) with receipts; their values add up to the receipts per route.
        Assert.Equal(2, await SumAsync(page, "#chart-route-mix rect.bar[data-series=slm]"));
        Assert.Equal(2, await SumAsync(page, "#chart-route-mix rect.bar[data-series=llm]"));
        Assert.Equal(1, await SumAsync(page, "#chart-route-mix rect.bar[data-series=cache]"));
        Assert.Equal(1, await SumAsync(page, "#chart-route-mix rect.bar[data-series=blocked]"));
        // Savings: a point per hour bucket for each line, summing to the receipts' cost and baseline.
        var buckets = await page.Locator("#chart-savings circle.point[data-series=baseline]").CountAsync();
        Assert.InRange(buckets, 24, 25);
        Assert.Equal(buckets, await page.Locator("#chart-savings circle.point[data-series=cost]").CountAsync());
        Assert.Equal(0.009, await SumAsync(page, "#chart-savings circle.point[data-series=baseline]"), 12);
        Assert.Equal(0.0034, await SumAsync(page, "#chart-savings circle.point[data-series=cost]"), 12);
        Assert.Equal(0.0056, await SumAsync(page, "#chart-savings circle.point[data-series=savings]"), 12);
        Assert.Equal(0.0025, await ValueAsync(page, "#chart-cost-tenant rect.bar[data-x=globex]"), 12);
        Assert.Equal(0.0009, await ValueAsync(page, "#chart-cost-model rect.bar[data-x=gpt-4o-mini]"), 12);
        Assert.Equal(1200, await ValueAsync(page, "#chart-latency rect.bar[data-series=p95][data-x=llm]"));
        Assert.Equal(25, await ValueAsync(page, "#chart-budgets rect.bar[data-x='acme (day)']"), 9);
        // The browser laid the charts out: the tallest route-mix column has a real height on screen.
        var box = await page.Locator("#chart-route-mix rect.bar").First.BoundingBoxAsync();
        Assert.True(box is { Height: > 1, Width: > 1 }, "the route-mix columns have no size on screen");
        Assert.Contains("cascade: SLM confidence 0.41 below 0.60", await page.InnerTextAsync("#receipts"), StringComparison.Ordinal);
        Assert.Equal(6, await page.Locator("#receipts tbody tr").CountAsync());
        Assert.Equal("6", await page.InnerTextAsync("#kpi-requests b"));

        await page.ClickAsync("#verify-ledger");
        await page.WaitForSelectorAsync("#ledger-state.ok");
        Assert.Equal("7", await page.InnerTextAsync("#ledger-records")); // six receipts and acme's policy change

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "console", "console.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"the screenshot at {screenshot} is nearly empty");
        TestContext.Current.AddAttachment("console.png", await File.ReadAllBytesAsync(screenshot, Ct), "image/png");

        await AssertQualityViewAsync(page);

        await page.ClickAsync("#sign-out");
        await page.WaitForSelectorAsync("#key");
        await page.GotoAsync(new Uri(_governance.HttpAddress, "/console").ToString());
        Assert.EndsWith("/console/login", page.Url, StringComparison.Ordinal);
    }

    /// <summary>The quality view, after ratings and shadow results were recorded through governance's gRPC API as routers send them.</summary>
    private async Task AssertQualityViewAsync(IPage page)
    {
        using (var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(_governance.GrpcAddress))
        {
            var governance = new GovernanceService.GovernanceServiceClient(channel);
            foreach (var (tenant, id, rating) in new[] { ("acme", "a-1", 1), ("acme", "a-2", -1), ("globex", "g-1", 1) })
            {
                await governance.SubmitFeedbackAsync(new SubmitFeedbackRequest { TenantId = tenant, RequestId = id, Rating = rating }, cancellationToken: Ct);
            }

            var shadow = new RecordShadowResultsRequest();
            foreach (var (tenant, id, parity) in new[] { ("acme", "a-1", 0.9), ("globex", "g-1", 0.5), ("acme", "a-3", 1.0) })
            {
                shadow.Results.Add(new ShadowResult { TenantId = tenant, RequestId = id, Judge = "gpt-4o", ShadowModel = "gpt-4o", Parity = parity, ShadowCostMicros = 1_000 });
            }

            Assert.Equal(3, (await governance.RecordShadowResultsAsync(shadow, cancellationToken: Ct)).Accepted);
        }

        await page.ClickAsync("#nav-quality");
        await page.WaitForSelectorAsync("#chart-quality-tier");
        Assert.Equal("3", await page.InnerTextAsync("#kpi-shadow-judged b"));
        Assert.Equal("3", await page.InnerTextAsync("#kpi-rated b"));
        Assert.Equal(70, await ValueAsync(page, "#chart-quality-tier rect.bar[data-series='shadow parity'][data-x=slm]"), 9);
        Assert.Equal(100, await ValueAsync(page, "#chart-quality-tier rect.bar[data-series='shadow parity'][data-x=cache]"), 9);
        Assert.Equal(100, await ValueAsync(page, "#chart-quality-tier rect.bar[data-series='positive feedback'][data-x=slm]"), 9);
        Assert.Equal(0, await ValueAsync(page, "#chart-quality-tier rect.bar[data-series='positive feedback'][data-x=llm]"), 9);
        Assert.InRange(await page.Locator("#chart-parity circle.point[data-series='shadow parity']").CountAsync(), 1, 3);
        var bar = await page.Locator("#chart-quality-tier rect.bar[data-x=slm]").First.BoundingBoxAsync();
        Assert.True(bar is { Height: > 1, Width: > 1 }, "the quality bars have no size on screen");
        Assert.Contains("choose a tenant", await page.InnerTextAsync("#calibration-state"), StringComparison.Ordinal);

        await page.GotoAsync(new Uri(_governance.HttpAddress, "/console/quality?tenant=acme").ToString());
        Assert.Equal("2", await page.InnerTextAsync("#kpi-shadow-judged b"));
        Assert.Contains("No calibration for tenant acme", await page.InnerTextAsync("#calibration-state"), StringComparison.Ordinal);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "console", "console-quality.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.AddAttachment("console-quality.png", await File.ReadAllBytesAsync(screenshot, Ct), "image/png");
    }

    private async Task SeedAsync()
    {
        using var admin = new HttpClient { BaseAddress = _governance.HttpAddress };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", GovernanceHost.AdminKey);
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(_governance.GrpcAddress);
        await ConsoleScenario.SeedAsync(new GovernanceService.GovernanceServiceClient(channel),
            async id => Assert.Equal(System.Net.HttpStatusCode.Created,
                (await admin.PostAsync(new Uri("/admin/tenants", UriKind.Relative), GovernanceHost.Json(new { id, name = id }), Ct)).StatusCode),
            async (tenant, json) => await admin.PutAsync(new Uri($"/admin/tenants/{tenant}/policy", UriKind.Relative),
                new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct),
            Ct);
    }

    private static async Task<double> SumAsync(IPage page, string selector)
    {
        var values = await page.Locator(selector).EvaluateAllAsync<string[]>("marks => marks.map(m => m.getAttribute('data-value'))");
        Assert.NotEmpty(values);
        return values.Sum(v => double.Parse(v, CultureInfo.InvariantCulture));
    }

    private static async Task<double> ValueAsync(IPage page, string selector) =>
        double.Parse(await page.Locator(selector).GetAttributeAsync("data-value") ?? "NaN", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _governance.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }
}
