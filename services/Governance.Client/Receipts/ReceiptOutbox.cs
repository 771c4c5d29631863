using Google.Protobuf;
using HybridAI.Contracts.Governance.V1;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Client.Receipts;

/// <summary>
/// A durable, local queue of routing receipts (SQLite, WAL, synchronous=FULL): <c>EnqueueAsync</c> returns
/// only once the receipt is on disk, and a receipt leaves the outbox only when governance has acknowledged it
/// (accepted, already recorded, or rejected for good, in which case it moves to a dead-letter table with the
/// reason). A crash between send and acknowledgement re-sends it; governance's idempotency by request id makes
/// that harmless. So no receipt is lost across governance outages or a router restart.
/// </summary>
public sealed class ReceiptOutbox : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly int _capacity;
    private long _count;

    public ReceiptOutbox(string path, int capacity)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _capacity = capacity;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL, body BLOB NOT NULL) STRICT;
            CREATE TABLE IF NOT EXISTS dead_letter (id INTEGER PRIMARY KEY, request_id TEXT NOT NULL, body BLOB NOT NULL,
                                                    reason TEXT NOT NULL, at_ms INTEGER NOT NULL) STRICT;
            """);
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM outbox";
        _count = (long)count.ExecuteScalar()!;
    }

    /// <summary>Raised after receipts were enqueued, so a sender can wake up.</summary>
    public event Action? Enqueued;

    /// <summary>Receipts waiting to be acknowledged.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Stores the receipts durably. Throws <see cref="ReceiptOutboxFullException"/> instead of dropping any.</summary>
    public async Task EnqueueAsync(IReadOnlyCollection<RoutingReceipt> receipts, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_count + receipts.Count > _capacity)
            {
                throw new ReceiptOutboxFullException(_capacity);
            }

            using var transaction = _connection.BeginTransaction();
            using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO outbox (request_id, body) VALUES ($r, $b)";
            var requestId = insert.Parameters.Add("$r", SqliteType.Text);
            var body = insert.Parameters.Add("$b", SqliteType.Blob);
            foreach (var receipt in receipts)
            {
                requestId.Value = receipt.Context?.RequestId ?? "";
                body.Value = receipt.ToByteArray();
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            _count += receipts.Count;
        }
        finally
        {
            _gate.Release();
        }

        Enqueued?.Invoke();
    }

    public Task EnqueueAsync(RoutingReceipt receipt, CancellationToken cancellationToken) => EnqueueAsync([receipt], cancellationToken);

    /// <summary>The oldest receipts, without removing them.</summary>
    public async Task<IReadOnlyList<(long Id, RoutingReceipt Receipt)>> PeekAsync(int max, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, body FROM outbox ORDER BY id LIMIT $n";
            command.Parameters.AddWithValue("$n", max);
            var batch = new List<(long, RoutingReceipt)>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                batch.Add((reader.GetInt64(0), RoutingReceipt.Parser.ParseFrom((byte[])reader[1])));
            }

            return batch;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes acknowledged receipts; rejected ones move to the dead-letter table with their reason.</summary>
    public async Task CompleteAsync(IReadOnlyList<long> acknowledged, IReadOnlyList<(long Id, string Reason)> rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction();
            using var move = _connection.CreateCommand();
            move.Transaction = transaction;
            move.CommandText = "INSERT OR REPLACE INTO dead_letter (id, request_id, body, reason, at_ms) SELECT id, request_id, body, $reason, $at FROM outbox WHERE id = $id";
            var moveId = move.Parameters.Add("$id", SqliteType.Integer);
            var reason = move.Parameters.Add("$reason", SqliteType.Text);
            move.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            foreach (var (id, why) in rejected)
            {
                moveId.Value = id;
                reason.Value = why;
                move.ExecuteNonQuery();
            }

            using var delete = _connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM outbox WHERE id = $id";
            var deleteId = delete.Parameters.Add("$id", SqliteType.Integer);
            var removed = 0;
            foreach (var id in acknowledged.Concat(rejected.Select(r => r.Id)))
            {
                deleteId.Value = id;
                removed += delete.ExecuteNonQuery();
            }

            transaction.Commit();
            _count -= removed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Receipts governance refused for good, with the reason it gave (kept for an operator to inspect).</summary>
    public async Task<IReadOnlyList<(string RequestId, string Reason)>> DeadLettersAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT request_id, reason FROM dead_letter ORDER BY id";
            var result = new List<(string, string)>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result.Add((reader.GetString(0), reader.GetString(1)));
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        await _connection.DisposeAsync();
        _gate.Release();
        _gate.Dispose();
    }
}

/// <summary>The outbox is at its capacity (<c>GovernanceClient:MaxOutboxReceipts</c>): governance has been unreachable for long.</summary>
public sealed class ReceiptOutboxFullException(int capacity)
    : Exception($"The receipt outbox holds its maximum of {capacity} receipts (GovernanceClient:MaxOutboxReceipts); governance has not acknowledged receipts for a long time.");
