using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Storage;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Calibration;

/// <summary>Proposals in the governance database (table <c>calibration_proposals</c>; the body is the proto, state a copy for queries).</summary>
public sealed class SqliteCalibrationProposalStore(GovernanceDatabase database) : ICalibrationProposalStore
{
    public Task<bool> AddAsync(CalibrationProposal proposal, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            using (var exists = Command(connection, transaction, "SELECT 1 FROM calibration_proposals WHERE id = $id"))
            {
                exists.Parameters.AddWithValue("$id", proposal.Id);
                if (exists.ExecuteScalar() is not null)
                {
                    return false;
                }
            }

            foreach (var pending in Read(connection, transaction, "tenant_id = $t AND state = $s", ("$t", proposal.TenantId), ("$s", (int)ProposalState.Pending)))
            {
                pending.State = ProposalState.Superseded;
                Update(connection, transaction, pending);
            }

            using var insert = Command(connection, transaction,
                "INSERT INTO calibration_proposals (id, tenant_id, created_at, state, body) VALUES ($id, $t, $at, $s, $b)");
            insert.Parameters.AddWithValue("$id", proposal.Id);
            insert.Parameters.AddWithValue("$t", proposal.TenantId);
            insert.Parameters.AddWithValue("$at", proposal.CreatedAt.ToDateTimeOffset().ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$s", (int)proposal.State);
            insert.Parameters.AddWithValue("$b", proposal.ToByteArray());
            insert.ExecuteNonQuery();
            return true;
        }, cancellationToken);

    public async Task<CalibrationProposal?> GetAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return Read(connection, null, "tenant_id = $t AND id = $id", ("$t", tenantId), ("$id", id)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<CalibrationProposal>> ListAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        return Read(connection, null, "tenant_id = $t ORDER BY created_at DESC, rowid DESC LIMIT $n", ("$t", tenantId), ("$n", limit));
    }

    public Task<CalibrationProposal?> DecideAsync(string tenantId, string id, ProposalState state, string actor, DateTimeOffset at, int appliedVersion,
        CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) =>
        {
            var proposal = Read(connection, transaction, "tenant_id = $t AND id = $id AND state = $s",
                ("$t", tenantId), ("$id", id), ("$s", (int)ProposalState.Pending)).FirstOrDefault();
            if (proposal is null)
            {
                return null;
            }

            proposal.State = state;
            proposal.DecidedBy = actor;
            proposal.DecidedAt = Timestamp.FromDateTimeOffset(at);
            proposal.AppliedVersion = appliedVersion;
            Update(connection, transaction, proposal);
            return proposal;
        }, cancellationToken);

    private static List<CalibrationProposal> Read(SqliteConnection connection, SqliteTransaction? transaction, string where, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, $"SELECT body FROM calibration_proposals WHERE {where}");
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var proposals = new List<CalibrationProposal>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            proposals.Add(CalibrationProposal.Parser.ParseFrom((byte[])reader[0]));
        }

        return proposals;
    }

    private static void Update(SqliteConnection connection, SqliteTransaction transaction, CalibrationProposal proposal)
    {
        using var update = Command(connection, transaction, "UPDATE calibration_proposals SET state = $s, body = $b WHERE id = $id");
        update.Parameters.AddWithValue("$s", (int)proposal.State);
        update.Parameters.AddWithValue("$b", proposal.ToByteArray());
        update.Parameters.AddWithValue("$id", proposal.Id);
        update.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
