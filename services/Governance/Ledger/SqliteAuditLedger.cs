using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Storage;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Ledger;

/// <summary>
/// The ledger in the governance SQLite database (WAL; every commit synced when durability is Full). Appends are
/// serialised by the database's write gate and, across processes sharing the file, by SQLite's write lock
/// (<c>BEGIN IMMEDIATE</c>); the chain head is read inside each write transaction, so it is always the real one.
/// </summary>
public sealed partial class SqliteAuditLedger(GovernanceDatabase database) : IAuditLedger
{
    private readonly GovernanceDatabase _database = database;

    public async Task<AppendResult> AppendReceiptsAsync(IReadOnlyList<RoutingReceipt> receipts, CancellationToken cancellationToken)
    {
        if (receipts.Count == 0)
        {
            return new AppendResult(0, 0);
        }

        return await WriteWithLedgerAsync((_, _, appender) =>
        {
            var accepted = 0;
            foreach (var receipt in receipts)
            {
                accepted += appender.TryAppend(receipt) ? 1 : 0;
            }

            return new AppendResult(accepted, receipts.Count - accepted);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction with an appender positioned at the chain head; other
    /// stores use it to commit their change and its ledger record together.
    /// </summary>
    public async Task<T> WriteWithLedgerAsync<T>(
        Func<SqliteConnection, SqliteTransaction, LedgerAppender, T> work, CancellationToken cancellationToken)
    {
        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            var connection = _database.Writer;
            using var transaction = connection.BeginTransaction(deferred: false);
            var (headSequence, headHash) = Head(connection, transaction);
            using var appender = new LedgerAppender(connection, transaction, headSequence, headHash);
            var result = work(connection, transaction, appender);
            transaction.Commit();
            return result;
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    private static (long Sequence, byte[] Hash) Head(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT sequence, hash FROM ledger ORDER BY sequence DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), (byte[])reader[1]) : (0L, LedgerHash.Genesis.ToArray());
    }
}
