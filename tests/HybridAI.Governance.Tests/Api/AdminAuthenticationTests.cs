using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Tests.Api;

public sealed class AdminAuthenticationTests : IDisposable
{
    private readonly GovernanceHost _host = new();

    public static TheoryData<string, string> Requests => new()
    {
        { "GET", "/admin/tenants" },
        { "POST", "/admin/tenants" },
        { "GET", "/admin/tenants/acme/policy" },
        { "GET", "/admin/tenants/does-not-exist/policy" },
        { "DELETE", "/admin/keys/key_nothing" },
        { "GET", "/admin/ledger/export?tenant=acme" },
        { "GET", "/admin/no/such/endpoint" },
        { "PATCH", "/admin/tenants" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task WithoutTheAdminKeyEveryAdminRequestGetsTheSame401(string method, string path)
    {
        await _host.CreateTenantAsync("acme");
        var answers = new List<string>();
        foreach (var authorization in new[] { null, "Bearer wrong-key-0123456789", "Basic YWRtaW46YWRtaW4=", $"Bearer {GovernanceHost.AdminKey}x" })
        {
            using var client = _host.Anonymous();
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
            if (authorization is not null)
            {
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
            }

            var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        Assert.Single(answers.Distinct());
        Assert.Contains("\"type\":\"authentication_error\"", answers[0], StringComparison.Ordinal);
        Assert.DoesNotContain("acme", answers[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminGrpcCallsWithoutTheAdminKeyAreUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.AdminGrpc.ListTenantsAsync(new ListTenantsRequest(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        var tenants = await _host.AdminGrpc.ListTenantsAsync(new ListTenantsRequest(), GovernanceHost.AdminHeaders, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(tenants.Tenants);
    }

    public void Dispose() => _host.Dispose();
}
