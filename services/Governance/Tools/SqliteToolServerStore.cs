using Google.Protobuf;
using HybridAI.Contracts.Governance.V1;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Storage;

namespace HybridAI.Governance.Tools;

/// <summary>
/// Tenants' tool servers in the governance database, one row per (tenant, name), the message as its body. Every change
/// is written in the same transaction as its <see cref="ToolServerChange"/> in the audit ledger.
/// </summary>
public sealed class SqliteToolServerStore(GovernanceDatabase database, SqliteAuditLedger ledger)
{
    public async Task<IReadOnlyList<ToolServer>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM tool_servers WHERE tenant_id = $t ORDER BY name";
        command.Parameters.AddWithValue("$t", tenantId);
        var servers = new List<ToolServer>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            servers.Add(ToolServer.Parser.ParseFrom((byte[])reader[0]));
        }

        return servers;
    }

    public async Task<ToolServer?> GetAsync(string tenantId, string name, CancellationToken cancellationToken) =>
        (await ListAsync(tenantId, cancellationToken)).FirstOrDefault(s => s.Name == name);

    public Task PutAsync(ToolServer server, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ledger.WriteWithLedgerAsync((connection, transaction, appender) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO tool_servers (tenant_id, name, body, updated_at) VALUES ($t, $n, $b, $at)
                ON CONFLICT (tenant_id, name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
                """;
            command.Parameters.AddWithValue("$t", server.TenantId);
            command.Parameters.AddWithValue("$n", server.Name);
            command.Parameters.AddWithValue("$b", server.ToByteArray());
            command.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            appender.Append(Change(server.TenantId, server.Name, "put", actor, now, server));
            return true;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string tenantId, string name, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ledger.WriteWithLedgerAsync((connection, transaction, appender) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM tool_servers WHERE tenant_id = $t AND name = $n";
            command.Parameters.AddWithValue("$t", tenantId);
            command.Parameters.AddWithValue("$n", name);
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }

            appender.Append(Change(tenantId, name, "delete", actor, now, server: null));
            return true;
        }, cancellationToken);

    private static ToolServerChange Change(string tenantId, string name, string action, string actor, DateTimeOffset now, ToolServer? server) => new()
    {
        TenantId = tenantId,
        Name = name,
        Action = action,
        Actor = actor,
        Time = Timestamp.FromDateTimeOffset(now),
        Server = server,
    };
}
