using System.Net;
using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Tenants;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Tests.Api;

public sealed class TenantAndKeyTests : IDisposable
{
    private readonly GovernanceHost _host = new(new Dictionary<string, string?> { ["Governance:KeyCacheSeconds"] = "7" });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnIssuedKeyIsShownOnceStoredOnlyAsASaltedHashAndAuthorizesItsTenant()
    {
        await _host.CreateTenantAsync("acme");
        var (keyId, key) = await _host.IssueKeyAsync("acme");

        Assert.StartsWith("hai_", key, StringComparison.Ordinal);
        var authorized = await _host.Governance.AuthorizeKeyAsync(new AuthorizeKeyRequest { ApiKey = key }, cancellationToken: Ct);
        Assert.Equal(("acme", keyId, 7), (authorized.TenantId, authorized.KeyId, authorized.CacheSeconds));

        var listed = await (await _host.Admin.GetAsync(new Uri("/admin/tenants/acme/keys", UriKind.Relative), Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains(keyId, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        // The secret is everything after "hai_<lookup>_": base64url, so it may itself hold '_'.
        var secret = key[(ApiKeys.Prefix.Length + ApiKeys.LookupLength + 1)..];
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        var database = await File.ReadAllBytesAsync(Path.Combine(_host.DataPath, "governance.db"), Ct);
        var wal = Path.Combine(_host.DataPath, "governance.db-wal");
        var bytes = database.Concat(File.Exists(wal) ? await ReadSharedAsync(wal) : []).ToArray();
        Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)));
    }

    [Fact]
    public async Task ARevokedKeyNoLongerAuthorizes()
    {
        await _host.CreateTenantAsync("acme");
        var (keyId, key) = await _host.IssueKeyAsync("acme");

        var revoked = await _host.Admin.DeleteAsync(new Uri($"/admin/keys/{keyId}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Governance.AuthorizeKeyAsync(new AuthorizeKeyRequest { ApiKey = key }, cancellationToken: Ct));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Admin.DeleteAsync(new Uri("/admin/keys/key_unknown", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task UnknownMalformedAndRevokedKeysGetTheSameAnswer()
    {
        await _host.CreateTenantAsync("acme");
        var (keyId, key) = await _host.IssueKeyAsync("acme");
        await _host.Admin.DeleteAsync(new Uri($"/admin/keys/{keyId}", UriKind.Relative), Ct);
        var messages = new List<string>();
        foreach (var candidate in new[] { key, "hai_aaaaaaaaaaaa_nope-nope-nope-nope", "short", "", key[..^1] + "x" })
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
                await _host.Governance.AuthorizeKeyAsync(new AuthorizeKeyRequest { ApiKey = candidate }, cancellationToken: Ct));
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
            messages.Add(error.Status.Detail);
        }

        Assert.Single(messages.Distinct());
    }

    [Fact]
    public async Task RotationWithAGracePeriodKeepsTheOldKeyWorkingUntilItEnds()
    {
        await _host.CreateTenantAsync("acme");
        var (keyId, oldKey) = await _host.IssueKeyAsync("acme");

        var rotated = await _host.Admin.PostAsync(new Uri($"/admin/keys/{keyId}/rotate", UriKind.Relative), GovernanceHost.Json(new { grace_seconds = 3 }), Ct);

        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var newKey = (await GovernanceHost.ReadAsync(rotated)).GetProperty("key").GetString()!;
        var old = await _host.Governance.AuthorizeKeyAsync(new AuthorizeKeyRequest { ApiKey = oldKey }, cancellationToken: Ct);
        Assert.InRange(old.CacheSeconds, 0, 3);
        Assert.Equal("acme", (await _host.Governance.AuthorizeKeyAsync(new AuthorizeKeyRequest { ApiKey = newKey }, cancellationToken: Ct)).TenantId);

        await Task.Delay(TimeSpan.FromSeconds(3.2), Ct);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Governance.AuthorizeKeyAsync(new AuthorizeKeyRequest { ApiKey = oldKey }, cancellationToken: Ct));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task TenantsAreCreatedOnceAndBadIdsAreRefusedWithEveryProblemNamed()
    {
        await _host.CreateTenantAsync("acme");

        var duplicate = await _host.Admin.PostAsync(new Uri("/admin/tenants", UriKind.Relative), GovernanceHost.Json(new { id = "acme", name = "Again" }), Ct);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var bad = await _host.Admin.PostAsync(new Uri("/admin/tenants", UriKind.Relative), GovernanceHost.Json(new { id = "Not Valid!", name = "" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problems = (await GovernanceHost.ReadAsync(bad)).GetProperty("error").GetProperty("problems").EnumerateArray()
            .Select(p => p.GetProperty("field").GetString()).ToList();
        Assert.Equal(["id", "name"], problems);

        Assert.Equal(HttpStatusCode.NotFound, (await _host.Admin.PostAsync(new Uri("/admin/tenants/ghost/keys", UriKind.Relative), GovernanceHost.Json(new { }), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Admin.GetAsync(new Uri("/admin/tenants/ghost/policy", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task MalformedOversizedAndMistypedBodiesAreRefusedNamingEveryProblem()
    {
        var malformed = await _host.Admin.PostAsync(new Uri("/admin/tenants", UriKind.Relative), new StringContent("{\"id\": ", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("not valid JSON", await malformed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var oversized = await _host.Admin.PostAsync(new Uri("/admin/tenants", UriKind.Relative), GovernanceHost.Json(new { id = "big", name = new string('x', 70_000) }), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);

        var mistyped = await _host.Admin.PostAsync(new Uri("/admin/tenants", UriKind.Relative),
            GovernanceHost.Json(new { id = 42, name = true, colour = "blue" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, mistyped.StatusCode);
        var fields = (await GovernanceHost.ReadAsync(mistyped)).GetProperty("error").GetProperty("problems").EnumerateArray()
            .Select(p => p.GetProperty("field").GetString()).ToList();
        Assert.Equal(["id", "name", "colour"], fields);
    }

    [Fact]
    public async Task TheDevKeySeedsTenantDevOnlyWhenConfigured()
    {
        const string DevKey = "dev-key-for-tests-abcdefghijkl";
        using var seeded = new GovernanceHost(new Dictionary<string, string?> { ["Governance:DevApiKey"] = DevKey });

        var authorized = await seeded.Governance.AuthorizeKeyAsync(new AuthorizeKeyRequest { ApiKey = DevKey }, cancellationToken: Ct);

        Assert.Equal("dev", authorized.TenantId);
        var none = await _host.AdminGrpc.ListTenantsAsync(new ListTenantsRequest(), GovernanceHost.AdminHeaders, cancellationToken: Ct);
        Assert.Empty(none.Tenants);
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    public void Dispose()
    {
        _host.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
