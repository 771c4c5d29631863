namespace HybridAI.Governance.Tenants;

public sealed record TenantRecord(string Id, string Name, DateTimeOffset CreatedAt);

public sealed record ApiKeyRecord(
    string KeyId, string TenantId, string Name, string Lookup, byte[] Salt, byte[] Hash, DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt = null, DateTimeOffset? ExpiresAt = null, string ReplacedBy = "")
{
    /// <summary>Whether the key authenticates at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } e || now < e);
}

/// <summary>Tenants and their keys (SQLite by default; the contract a PostgreSQL store would implement).</summary>
public interface ITenantStore
{
    /// <summary>Creates the tenant; false when the id is taken.</summary>
    Task<bool> TryCreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken);

    Task<TenantRecord?> GetTenantAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken);

    Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindKeyByLookupAsync(string lookup, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> GetKeyAsync(string keyId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Marks the key revoked (idempotent: an already revoked key keeps its first revocation time).</summary>
    Task<bool> RevokeKeyAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="replacement"/> and, in the same transaction, retires <paramref name="oldKeyId"/> at <paramref name="oldKeyEnds"/>.</summary>
    Task RotateKeyAsync(string oldKeyId, ApiKeyRecord replacement, DateTimeOffset oldKeyEnds, bool revokeNow, CancellationToken cancellationToken);
}
