using System.Net;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.AppHost.Tests;

/// <summary>The whole suite started in local mode on this machine (no container runtime), every wait bounded.</summary>
public sealed class EndToEndTests
{
    private static readonly string[] Resources = ["slm-inference", "llm-proxy", "governance", "retrieval", "router", "edge"];

    [Fact]
    public async Task LocalModeStartsEveryServiceHealthyAndTheEdgeAnswers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));

        await using var builder = await AppHostFactory.CreateAsync("local");
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);

        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var name in Resources)
        {
            await notifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }

        if (builder.Resources.Any(r => r.Name == "redis"))
        {
            await notifications.WaitForResourceHealthyAsync("redis", timeout.Token);
        }

        using var edge = app.CreateHttpClient("edge", "http");
        var response = await edge.GetAsync(new Uri("/health", UriKind.Relative), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(timeout.Token));

        // The admin API answers through the edge: 401 without the admin key, the seeded dev tenant with it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await edge.GetAsync(new Uri("/admin/tenants", UriKind.Relative), timeout.Token)).StatusCode);
        var adminKey = await builder.Resources.OfType<ParameterResource>().Single(p => p.Name == "admin-api-key").GetValueAsync(timeout.Token);
        using var admin = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/tenants", UriKind.Relative));
        admin.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
        var tenants = await edge.SendAsync(admin, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, tenants.StatusCode);
        Assert.Contains("\"dev\"", await tenants.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
    }
}
