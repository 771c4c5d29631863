using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Storage;

/// <summary>
/// The SQLite database that holds tenants, keys, policy versions and the audit ledger (one file, so a policy
/// change and its ledger record commit together). Write-ahead logging lets reports and exports read while
/// receipts are appended; one writer connection, guarded by <see cref="WriteGate"/>, serialises this process's
/// writes, and immediate transactions serialise them with any other process using the same file.
/// </summary>
public sealed class GovernanceDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;

    public GovernanceDatabase(string path, Durability durability = Durability.Full)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        FilePath = path;
        Durability = durability;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        // The writer is never pooled: pooled connections are readers left in query-only mode.
        _writer = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        _writer.Open();
        Execute(_writer, $"""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = {durability.ToString().ToUpperInvariant()};
            PRAGMA foreign_keys = ON;
            PRAGMA busy_timeout = 5000;
            """);
        Execute(_writer, Schema.Sql);
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    public Durability Durability { get; }

    /// <summary>Held by whoever writes, for the whole transaction.</summary>
    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    /// <summary>The single writer connection; use only while holding <see cref="WriteGate"/>.</summary>
    public SqliteConnection Writer => _writer;

    /// <summary>A pooled read connection (WAL readers never block the writer).</summary>
    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        Execute(connection, "PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction under the write gate.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            var result = work(_writer, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            WriteGate.Release();
        }
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await WriteGate.WaitAsync();
        try
        {
            await _writer.DisposeAsync();
        }
        finally
        {
            WriteGate.Release();
            WriteGate.Dispose();
        }
    }
}

/// <summary>When a commit is on disk (SQLite's <c>synchronous</c> setting, with write-ahead logging).</summary>
public enum Durability
{
    /// <summary>Every commit is synced before it returns: an acknowledged receipt survives a power cut.</summary>
    Full,

    /// <summary>The log is synced at checkpoints: a crash loses nothing, a power cut may lose the last commits.</summary>
    Normal,

    /// <summary>Never synced (benchmarks' baseline only; not offered in configuration).</summary>
    Off,
}
