using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Storage;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Policies;

/// <summary>Policy versions in the governance database; each write commits with its ledger record.</summary>
public sealed class SqlitePolicyStore(GovernanceDatabase database, SqliteAuditLedger ledger) : IPolicyStore
{
    public async Task<TenantPolicy?> GetLatestAsync(string tenantId, CancellationToken cancellationToken) =>
        (await ListVersionsAsync(tenantId, 1, cancellationToken)) is [var latest, ..] ? latest : null;

    public async Task<IReadOnlyDictionary<string, int>> GetVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tenant_id, MAX(version) FROM policies GROUP BY tenant_id";
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions[reader.GetString(0)] = reader.GetInt32(1);
        }

        return versions;
    }

    public async Task<IReadOnlyList<TenantPolicy>> ListVersionsAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM policies WHERE tenant_id = $t ORDER BY version DESC LIMIT $n";
        command.Parameters.AddWithValue("$t", tenantId);
        command.Parameters.AddWithValue("$n", limit);
        var versions = new List<TenantPolicy>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(TenantPolicy.Parser.ParseFrom((byte[])reader[0]));
        }

        return versions;
    }

    public Task<TenantPolicy> PutAsync(TenantPolicy policy, int expectedVersion, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ledger.WriteWithLedgerAsync((connection, transaction, appender) =>
        {
            var current = CurrentVersion(connection, transaction, policy.TenantId);
            if (expectedVersion > 0 && expectedVersion != current)
            {
                throw new PreconditionFailedException(
                    $"The policy of tenant '{policy.TenantId}' is at version {current}, not {expectedVersion}: read it again and reapply your change.",
                    $"tenants/{policy.TenantId}/policy");
            }

            var stored = policy.Clone();
            stored.Version = current + 1;
            stored.UpdatedAt = Timestamp.FromDateTimeOffset(now);
            stored.UpdatedBy = actor;
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO policies (tenant_id, version, body, updated_at) VALUES ($t, $v, $b, $at)";
                insert.Parameters.AddWithValue("$t", stored.TenantId);
                insert.Parameters.AddWithValue("$v", stored.Version);
                insert.Parameters.AddWithValue("$b", stored.ToByteArray());
                insert.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
                insert.ExecuteNonQuery();
            }

            appender.Append(new PolicyChange
            {
                TenantId = stored.TenantId,
                Version = stored.Version,
                PreviousVersion = current,
                Actor = actor,
                Time = stored.UpdatedAt,
                Policy = stored,
            });
            return stored;
        }, cancellationToken);

    private static int CurrentVersion(SqliteConnection connection, SqliteTransaction transaction, string tenantId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM policies WHERE tenant_id = $t";
        command.Parameters.AddWithValue("$t", tenantId);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
