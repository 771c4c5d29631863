using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using HybridAI.Contracts.Router.V1;
using HybridAI.Edge.Tests.Hosts;

namespace HybridAI.Edge.Tests;

[Collection(GatewayCollection.Name)]
public sealed class AuthenticationTests(GatewayFixture edge)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RefusesARequestWithoutAKey()
    {
        var response = await edge.Anonymous.GetAsync(new Uri("/v1/models", UriKind.Relative), Ct);

        await OpenAiErrors.AssertAsync(response, HttpStatusCode.Unauthorized, "missing_api_key");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer key with spaces")]
    public async Task RefusesAMalformedAuthorizationHeader(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await edge.Anonymous.SendAsync(request, Ct);

        await OpenAiErrors.AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task RefusesAnUnknownKey()
    {
        using var client = edge.ClientWith("hai_this-key-was-never-issued-0000000000");

        var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative), Ct);

        await OpenAiErrors.AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task ForwardsAValidBearerKeyAsTheStampedTenantWithoutTheCredentials()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);

        var echoed = await client.GetFromJsonAsync<EchoedRequest>(new Uri("/v1/models", UriKind.Relative), Ct);

        Assert.Equal("/v1/models", echoed!.Path);
        Assert.Equal(key.Tenant, echoed.Headers["x-hybridai-tenant"]);
        Assert.Equal(key.KeyId, echoed.Headers["x-hybridai-key-id"]);
        Assert.False(echoed.Headers.ContainsKey("authorization"));
        Assert.False(echoed.Headers.ContainsKey("x-api-key"));
    }

    [Fact]
    public async Task AcceptsTheKeyInTheXApiKeyHeader()
    {
        var key = await edge.NewTenantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models", UriKind.Relative));
        request.Headers.Add("x-api-key", key.Key);

        var response = await edge.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>(Ct);
        Assert.Equal(key.Tenant, echoed!.Headers["x-hybridai-tenant"]);
        Assert.False(echoed.Headers.ContainsKey("x-api-key"));
    }

    [Fact]
    public async Task ReplacesATenantAndInternalHeadersTheClientSent()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative))
        {
            Content = GatewayFixture.Json(new { model = "hybrid-auto" }),
        };
        request.Headers.Add("x-hybridai-tenant", "someone-else");
        request.Headers.Add("X-HybridAI-Key-Id", "forged");
        request.Headers.Add("x-hybridai-route", "llm");

        var echoed = await (await client.SendAsync(request, Ct)).Content.ReadFromJsonAsync<EchoedRequest>(Ct);

        Assert.Equal(key.Tenant, echoed!.Headers["x-hybridai-tenant"]);
        Assert.Equal(key.KeyId, echoed.Headers["x-hybridai-key-id"]);
        Assert.False(echoed.Headers.ContainsKey("x-hybridai-route"));
    }

    [Fact]
    public async Task ARevokedKeyStopsWorkingWithinTheCacheBound()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/v1/models", UriKind.Relative), Ct)).StatusCode);

        var revoked = await edge.Admin.DeleteAsync(new Uri($"/admin/keys/{key.KeyId}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        do
        {
            response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative), Ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                break;
            }

            await Task.Delay(50, Ct);
        }
        while (clock.Elapsed < TimeSpan.FromSeconds(5));

        // The bound is min(Governance:KeyCacheSeconds, GovernanceClient:MaxKeyCacheSeconds) = 1 s here, plus scheduling slack.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"The revoked key still worked after {clock.Elapsed}.");
        await OpenAiErrors.AssertAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task TheAdminApiRequiresTheAdminKey()
    {
        var key = await edge.NewTenantAsync();
        using var tenantClient = edge.ClientWith(key.Key);

        await OpenAiErrors.AssertAsync(await edge.Anonymous.GetAsync(new Uri("/admin/tenants", UriKind.Relative), Ct), HttpStatusCode.Unauthorized, "invalid_admin_key");
        await OpenAiErrors.AssertAsync(await tenantClient.GetAsync(new Uri("/admin/tenants", UriKind.Relative), Ct), HttpStatusCode.Unauthorized, "invalid_admin_key");
        var listed = await edge.Admin.GetAsync(new Uri("/admin/tenants", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains(key.Tenant, await listed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGrpcCallWithoutAKeyIsUnauthenticated()
    {
        using var channel = edge.GrpcChannel();
        var client = new RouterService.RouterServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.ListModelsAsync(new ListModelsRequest(), cancellationToken: Ct));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("API key", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGrpcCallWithAKeyReachesTheRouterAsItsTenant()
    {
        var key = await edge.NewTenantAsync();
        using var channel = edge.GrpcChannel();
        var client = new RouterService.RouterServiceClient(channel);

        var models = await client.ListModelsAsync(new ListModelsRequest(),
            new Metadata { { "authorization", $"Bearer {key.Key}" }, { "x-hybridai-tenant", "forged" }, { "x-request-id", "grpc-call-1" } },
            cancellationToken: Ct);

        var echoed = Assert.Single(models.Models);
        Assert.Equal(key.Tenant, echoed.Id);
        Assert.Equal(key.KeyId, echoed.OwnedBy);
        Assert.Equal("", echoed.Description);
        Assert.Equal("grpc-call-1", echoed.Kind);
    }
}
