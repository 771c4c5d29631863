using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Policies;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Tenants;

/// <summary>Tenants and API keys: creation, issue, rotation, revocation and authorisation.</summary>
public sealed class TenantService(ITenantStore store, PolicyService policies, TimeProvider clock, IOptions<GovernanceOptions> options)
{
    public const int MaxGraceSeconds = 7 * 24 * 3600;

    public async Task<Tenant> CreateTenantAsync(CreateTenantRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        TenantRules.CheckTenantId("id", request.Id, problems);
        TenantRules.CheckName("name", request.Name, required: true, problems);
        Throw.IfAny("The tenant", problems);

        var tenant = new TenantRecord(request.Id, request.Name.Trim(), clock.GetUtcNow());
        if (!await store.TryCreateTenantAsync(tenant, cancellationToken))
        {
            throw new AlreadyExistsException("tenant", request.Id);
        }

        return ToContract(tenant);
    }

    public async Task<ListTenantsResponse> ListTenantsAsync(CancellationToken cancellationToken)
    {
        var response = new ListTenantsResponse();
        response.Tenants.AddRange((await store.ListTenantsAsync(cancellationToken)).Select(ToContract));
        return response;
    }

    /// <summary>The tenant, or <see cref="NotFoundException"/>.</summary>
    public async Task<TenantRecord> RequireTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        TenantRules.CheckTenantId("tenant_id", tenantId, problems);
        Throw.IfAny("The tenant id", problems);
        return await store.GetTenantAsync(tenantId, cancellationToken) ?? throw new NotFoundException("tenant", tenantId);
    }

    public async Task<IssuedKey> IssueKeyAsync(IssueKeyRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        TenantRules.CheckTenantId("tenant_id", request.TenantId, problems);
        TenantRules.CheckName("name", request.Name, required: false, problems);
        Throw.IfAny("The key request", problems);
        await RequireTenantAsync(request.TenantId, cancellationToken);

        var (key, record) = NewKey(request.TenantId, string.IsNullOrWhiteSpace(request.Name) ? "default" : request.Name.Trim());
        await store.AddKeyAsync(record, cancellationToken);
        return Issued(key, record);
    }

    /// <summary>Registers a key that was not generated here (the development key); idempotent.</summary>
    public async Task<string> ImportKeyAsync(string tenantId, string name, string key, CancellationToken cancellationToken)
    {
        var lookup = ApiKeys.LookupOf(key) ?? throw new ArgumentException("The key is not a usable API key (16-256 characters).", nameof(key));
        if (await store.FindKeyByLookupAsync(lookup, cancellationToken) is { } existing)
        {
            return existing.KeyId;
        }

        var salt = ApiKeys.NewSalt();
        var record = new ApiKeyRecord(ApiKeys.NewKeyId(), tenantId, name, lookup, salt, ApiKeys.Hash(key, salt), clock.GetUtcNow());
        await store.AddKeyAsync(record, cancellationToken);
        return record.KeyId;
    }

    public async Task<ListKeysResponse> ListKeysAsync(string tenantId, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenantId, cancellationToken);
        var response = new ListKeysResponse();
        response.Keys.AddRange((await store.ListKeysAsync(tenantId, cancellationToken)).Select(ToContract));
        return response;
    }

    public async Task<IssuedKey> RotateKeyAsync(RotateKeyRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (request.GraceSeconds is < 0 or > MaxGraceSeconds)
        {
            problems.Add(new Problem("grace_seconds", $"must be between 0 and {MaxGraceSeconds} (7 days), but is {request.GraceSeconds}."));
        }

        Throw.IfAny("The rotation", problems);
        var old = await RequireKeyAsync(request.KeyId, cancellationToken);
        var now = clock.GetUtcNow();
        if (!old.IsActive(now))
        {
            throw new PreconditionFailedException($"Key '{old.KeyId}' is already revoked or expired; issue a new key instead.", old.KeyId);
        }

        var (key, record) = NewKey(old.TenantId, old.Name);
        await store.RotateKeyAsync(old.KeyId, record, now.AddSeconds(request.GraceSeconds), request.GraceSeconds == 0, cancellationToken);
        return Issued(key, record);
    }

    public async Task<RevokeKeyResponse> RevokeKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        await RequireKeyAsync(keyId, cancellationToken);
        return new RevokeKeyResponse { Revoked = await store.RevokeKeyAsync(keyId, clock.GetUtcNow(), cancellationToken) };
    }

    /// <summary>Resolves a presented key to its tenant, or throws <see cref="InvalidApiKeyException"/> whatever the reason.</summary>
    public async Task<AuthorizeKeyResponse> AuthorizeAsync(string presentedKey, CancellationToken cancellationToken)
    {
        try
        {
            var response = await AuthorizeCoreAsync(presentedKey, cancellationToken);
            GovernanceTelemetry.KeyAuthorizations.Add(1, new KeyValuePair<string, object?>("result", "valid"));
            return response;
        }
        catch (InvalidApiKeyException)
        {
            GovernanceTelemetry.KeyAuthorizations.Add(1, new KeyValuePair<string, object?>("result", "invalid"));
            throw;
        }
    }

    private async Task<AuthorizeKeyResponse> AuthorizeCoreAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var lookup = ApiKeys.LookupOf(presentedKey) ?? throw new InvalidApiKeyException();
        var record = await store.FindKeyByLookupAsync(lookup, cancellationToken);
        if (record is null || !ApiKeys.Verify(presentedKey, record.Salt, record.Hash))
        {
            throw new InvalidApiKeyException();
        }

        var now = clock.GetUtcNow();
        if (!record.IsActive(now))
        {
            throw new InvalidApiKeyException();
        }

        var cacheSeconds = options.Value.KeyCacheSeconds;
        if (record.ExpiresAt is { } expires)
        {
            // A key in its rotation grace period must not outlive it in an edge cache.
            cacheSeconds = (int)Math.Clamp(Math.Floor((expires - now).TotalSeconds), 0, cacheSeconds);
        }

        var policy = await policies.GetAsync(record.TenantId, cancellationToken);
        return new AuthorizeKeyResponse
        {
            TenantId = record.TenantId,
            KeyId = record.KeyId,
            CacheSeconds = cacheSeconds,
            RateLimits = policy.KeyRateLimits?.Clone() ?? new RateLimits(),
        };
    }

    private async Task<ApiKeyRecord> RequireKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(keyId) || keyId.Length > 64)
        {
            Throw.IfAny("The key id", [new Problem("key_id", "is required (at most 64 characters).")]);
        }

        return await store.GetKeyAsync(keyId, cancellationToken) ?? throw new NotFoundException("key", keyId);
    }

    private (string Key, ApiKeyRecord Record) NewKey(string tenantId, string name)
    {
        var (key, lookup) = ApiKeys.Generate();
        var salt = ApiKeys.NewSalt();
        return (key, new ApiKeyRecord(ApiKeys.NewKeyId(), tenantId, name, lookup, salt, ApiKeys.Hash(key, salt), clock.GetUtcNow()));
    }

    private static IssuedKey Issued(string key, ApiKeyRecord record) =>
        new() { KeyId = record.KeyId, Key = key, TenantId = record.TenantId, Prefix = ApiKeys.DisplayPrefix(record.Lookup) };

    private static Tenant ToContract(TenantRecord t) =>
        new() { Id = t.Id, Name = t.Name, CreatedAt = Timestamp.FromDateTimeOffset(t.CreatedAt) };

    private static KeyInfo ToContract(ApiKeyRecord k) => new()
    {
        KeyId = k.KeyId,
        TenantId = k.TenantId,
        Name = k.Name,
        Prefix = ApiKeys.DisplayPrefix(k.Lookup),
        CreatedAt = Timestamp.FromDateTimeOffset(k.CreatedAt),
        RevokedAt = k.RevokedAt is { } r ? Timestamp.FromDateTimeOffset(r) : null,
        ExpiresAt = k.ExpiresAt is { } e ? Timestamp.FromDateTimeOffset(e) : null,
        ReplacedBy = k.ReplacedBy,
    };
}
