using HybridAI.Governance.Storage;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Tenants;

/// <summary>Tenants and keys in the governance SQLite database.</summary>
public sealed class SqliteTenantStore(GovernanceDatabase database) : ITenantStore
{
    private const string KeyColumns = "key_id, tenant_id, name, lookup, salt, hash, created_at, revoked_at, expires_at, replaced_by";

    public Task<bool> TryCreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction,
                "INSERT INTO tenants (id, name, created_at) VALUES ($id, $name, $at) ON CONFLICT(id) DO NOTHING");
            command.Parameters.AddWithValue("$id", tenant.Id);
            command.Parameters.AddWithValue("$name", tenant.Name);
            command.Parameters.AddWithValue("$at", tenant.CreatedAt.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public async Task<TenantRecord?> GetTenantAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT id, name, created_at FROM tenants WHERE id = $id", ReadTenant, cancellationToken, ("$id", id))) is [var first, ..] ? first : null;

    public Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken) =>
        QueryAsync("SELECT id, name, created_at FROM tenants ORDER BY id", ReadTenant, cancellationToken);

    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => Insert(connection, transaction, key), cancellationToken);

    public async Task<ApiKeyRecord?> FindKeyByLookupAsync(string lookup, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE lookup = $l", ReadKey, cancellationToken, ("$l", lookup))) is [var first, ..] ? first : null;

    public async Task<ApiKeyRecord?> GetKeyAsync(string keyId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE key_id = $k", ReadKey, cancellationToken, ("$k", keyId))) is [var first, ..] ? first : null;

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string tenantId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE tenant_id = $t ORDER BY created_at, key_id", ReadKey, cancellationToken, ("$t", tenantId));

    public Task<bool> RevokeKeyAsync(string keyId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction,
                "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $at) WHERE key_id = $k");
            command.Parameters.AddWithValue("$k", keyId);
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task RotateKeyAsync(string oldKeyId, ApiKeyRecord replacement, DateTimeOffset oldKeyEnds, bool revokeNow, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            Insert(connection, transaction, replacement);
            using var command = Command(connection, transaction, revokeNow
                ? "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $at), replaced_by = $new WHERE key_id = $old"
                : "UPDATE api_keys SET expires_at = MIN(COALESCE(expires_at, $at), $at), replaced_by = $new WHERE key_id = $old");
            command.Parameters.AddWithValue("$old", oldKeyId);
            command.Parameters.AddWithValue("$new", replacement.KeyId);
            command.Parameters.AddWithValue("$at", oldKeyEnds.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    private static int Insert(SqliteConnection connection, SqliteTransaction transaction, ApiKeyRecord key)
    {
        using var command = Command(connection, transaction, $"""
            INSERT INTO api_keys ({KeyColumns})
            VALUES ($key_id, $tenant_id, $name, $lookup, $salt, $hash, $created_at, NULL, NULL, '')
            """);
        command.Parameters.AddWithValue("$key_id", key.KeyId);
        command.Parameters.AddWithValue("$tenant_id", key.TenantId);
        command.Parameters.AddWithValue("$name", key.Name);
        command.Parameters.AddWithValue("$lookup", key.Lookup);
        command.Parameters.AddWithValue("$salt", key.Salt);
        command.Parameters.AddWithValue("$hash", key.Hash);
        command.Parameters.AddWithValue("$created_at", key.CreatedAt.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var results = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(read(reader));
        }

        return results;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static TenantRecord ReadTenant(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)));

    private static ApiKeyRecord ReadKey(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), (byte[])r[4], (byte[])r[5],
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)), Time(r, 7), Time(r, 8), r.GetString(9));

    private static DateTimeOffset? Time(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));
}
