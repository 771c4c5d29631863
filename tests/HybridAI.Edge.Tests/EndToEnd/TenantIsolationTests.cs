using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace HybridAI.Edge.Tests.EndToEnd;

/// <summary>
/// One tenant's key never reaches another tenant's data through the edge: collections, documents, search, FAQ
/// matches, the response cache, receipts and reports; a client-supplied tenant header changes nothing.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TenantIsolationTests(StackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARivalKeyCannotSeeReadSearchOrWriteAnotherTenantsCollections()
    {
        using var dev = stack.DevClient();
        using var rival = await RivalClientAsync();
        var name = $"secret-{Guid.NewGuid():N}"[..20];
        await Ok(await dev.PostAsJsonAsync(new Uri("/v1/hybrid/collections", UriKind.Relative), new { name, kind = "documents" }, Ct));
        await Ok(await dev.PostAsJsonAsync(new Uri($"/v1/hybrid/collections/{name}/documents", UriKind.Relative),
            new { id = "plan", text = "Project Nightjar ships on 12 March; the codename is known to the dev tenant only.", label = "internal" }, Ct));

        var listed = await rival.GetFromJsonAsync<JsonElement>(new Uri("/v1/hybrid/collections", UriKind.Relative), Ct);
        using var read = await rival.GetAsync(new Uri($"/v1/hybrid/collections/{name}", UriKind.Relative), Ct);
        using var search = await rival.PostAsJsonAsync(new Uri($"/v1/hybrid/collections/{name}/search", UriKind.Relative), new { query = "Nightjar codename" }, Ct);
        var searchBody = await search.Content.ReadAsStringAsync(Ct);

        Assert.DoesNotContain(listed.GetProperty("collections").EnumerateArray(), c => c.GetProperty("name").GetString() == name);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, search.StatusCode);
        Assert.DoesNotContain("Nightjar", searchBody, StringComparison.Ordinal);

        // Writing under the same name creates the rival's own collection; the dev tenant's stays untouched.
        await Ok(await rival.PostAsJsonAsync(new Uri("/v1/hybrid/collections", UriKind.Relative), new { name, kind = "documents" }, Ct));
        using var devSearch = await dev.PostAsJsonAsync(new Uri($"/v1/hybrid/collections/{name}/search", UriKind.Relative), new { query = "Nightjar codename" }, Ct);
        Assert.Contains("Nightjar", await devSearch.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientSuppliedTenantHeaderIsIgnored()
    {
        using var dev = stack.DevClient();
        using var rival = await RivalClientAsync();
        var name = $"spoof-{Guid.NewGuid():N}"[..20];
        await Ok(await dev.PostAsJsonAsync(new Uri("/v1/hybrid/collections", UriKind.Relative), new { name, kind = "documents" }, Ct));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/hybrid/collections/{name}");
        request.Headers.Add("x-hybridai-tenant", "dev");
        request.Headers.Add("X-HybridAI-Tenant", "dev");
        request.Headers.Add("x-hybridai-key-id", "key_dev");
        using var spoofed = await rival.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotFound, spoofed.StatusCode);
    }

    [Fact]
    public async Task TwoTenantsAskingTheSameQuestionNeverShareACachedAnswer()
    {
        using var dev = stack.DevClient();
        using var rival = await RivalClientAsync();
        var prompt = $"Case {Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}. List four risks of a big-bang data migration.";

        using var first = await dev.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), Body(prompt), Ct);
        using var again = await dev.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), Body(prompt), Ct);
        using var other = await rival.PostAsJsonAsync(new Uri("/v1/chat/completions", UriKind.Relative), Body(prompt), Ct);

        Assert.Equal("llm", Route(first));
        Assert.Equal("cache", Route(again));
        Assert.Equal("llm", Route(other));
    }

    [Fact]
    public async Task ATenantKeyCannotReadReceiptsReportsOrTheLedger()
    {
        using var rival = await RivalClientAsync();

        foreach (var path in new[] { "/admin/tenants/dev/report", "/admin/ledger/export?tenant=dev", "/admin/ledger/verify", "/admin/tenants", "/admin/tenants/dev/keys" })
        {
            using var response = await rival.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("\"tenant_id\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    private static object Body(string prompt) => new { model = "hybrid-auto", messages = new[] { new { role = "user", content = prompt } } };

    private static string Route(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-hybridai-route", out var values) ? values.Single() : $"none ({(int)response.StatusCode})";

    private static async Task Ok(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    /// <summary>A second tenant with its own key, created through the admin API (once per test process).</summary>
    private async Task<HttpClient> RivalClientAsync()
    {
        var key = await RivalKey.GetOrCreate(stack, Ct);
        var client = new HttpClient { BaseAddress = stack.Edge.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static class RivalKey
    {
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static string? _key;

        public static async Task<string> GetOrCreate(StackFixture stack, CancellationToken cancellationToken)
        {
            await Gate.WaitAsync(cancellationToken);
            try
            {
                if (_key is not null)
                {
                    return _key;
                }

                using var admin = new HttpClient { BaseAddress = stack.Edge.HttpAddress };
                admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StackFixture.AdminKey);
                using (var created = await admin.PostAsJsonAsync(new Uri("/admin/tenants", UriKind.Relative), new { id = "rival", name = "Rival Inc" }, cancellationToken))
                {
                    Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(cancellationToken));
                }

                using var issued = await admin.PostAsync(new Uri("/admin/tenants/rival/keys", UriKind.Relative), null, cancellationToken);
                var body = await issued.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                return _key = body.GetProperty("key").GetString()!;
            }
            finally
            {
                Gate.Release();
            }
        }
    }
}
