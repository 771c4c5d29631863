using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using HybridAI.Contracts.Retrieval.V1;

namespace HybridAI.Edge.Tests.EndToEnd;

/// <summary>The edge's routes to retrieval and governance, against the real services.</summary>
[Collection(StackCollection.Name)]
public sealed class RouteTests(StackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CollectionsOverHttpAndGrpcReachRetrievalAsTheKeysTenant()
    {
        using var client = stack.DevClient();
        var name = $"edge-{Guid.NewGuid():N}"[..20];

        var created = await client.PostAsJsonAsync(new Uri("/v1/hybrid/collections", UriKind.Relative), new { name, kind = "documents" }, Ct);
        using var channel = GrpcChannel.ForAddress(stack.Edge.GrpcAddress);
        var listed = await new RetrievalService.RetrievalServiceClient(channel).ListCollectionsAsync(new ListCollectionsRequest(),
            new Metadata { { "x-api-key", StackFixture.DevKey } }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains(listed.Collections, c => c.Name == name);
    }

    [Fact]
    public async Task TheOperatorConsoleIsServedByGovernanceThroughTheEdgeWithItsOwnLogin()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var browser = new HttpClient(handler) { BaseAddress = stack.Edge.HttpAddress };

        using var login = await browser.GetAsync(new Uri("/console/login", UriKind.Relative), Ct);
        using var unauthenticated = await browser.GetAsync(new Uri("/console/api/overview", UriKind.Relative), Ct);
        using var signedIn = await browser.PostAsync(new Uri("/console/login", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = StackFixture.AdminKey }), Ct);
        using var overview = await browser.GetAsync(new Uri("/console/api/overview", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("<form", await login.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.True((int)signedIn.StatusCode is 302 or 303, $"{(int)signedIn.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
    }

    [Fact]
    public async Task TheAdminApiReachesGovernanceWithTheAdminKeyOnly()
    {
        using var admin = new HttpClient { BaseAddress = stack.Edge.HttpAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StackFixture.AdminKey);
        using var dev = stack.DevClient();

        var tenants = await admin.GetFromJsonAsync<JsonElement>(new Uri("/admin/tenants", UriKind.Relative), Ct);
        var refused = await dev.GetAsync(new Uri("/admin/tenants", UriKind.Relative), Ct);

        Assert.Contains("\"dev\"", tenants.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task AnUnknownPathUnderV1IsAnswered404InOpenAIShape()
    {
        using var client = stack.DevClient();

        var response = await client.GetAsync(new Uri("/v1/no-such-endpoint", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }
}
