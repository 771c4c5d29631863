using HybridAI.Governance.Reports;
using HybridAI.Governance.Storage;

namespace HybridAI.Governance.OperatorConsole.Metrics;

/// <summary>
/// Running totals of every receipt in the ledger by (tenant, route, model), kept current by reading only the records
/// appended since the last read (a primary-key range scan), so the exported counters equal what the ledger holds,
/// survive restarts, and never rescan a large ledger.
/// </summary>
public sealed class LedgerTotals(GovernanceDatabase database) : IDisposable
{
    private const int BatchSize = 5000;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly Dictionary<(string Tenant, string Route, string Model), Totals> _totals = [];
    private long _lastSequence;

    public sealed class Totals
    {
        public long Requests { get; set; }

        public long CostMicros { get; set; }

        public long BaselineMicros { get; set; }
    }

    /// <summary>A copy of the totals (for the observable instruments' callbacks).</summary>
    public IReadOnlyList<(string Tenant, string Route, string Model, long Requests, long CostMicros, long BaselineMicros)> Snapshot()
    {
        lock (_gate)
        {
            return _totals.Select(p => (p.Key.Tenant, p.Key.Route, p.Key.Model, p.Value.Requests, p.Value.CostMicros, p.Value.BaselineMicros)).ToList();
        }
    }

    /// <summary>
    /// Reads receipts appended since the last call and adds them in; <paramref name="onReceipt"/> sees each new
    /// receipt's route and latency (for the latency histogram). The first call sums the existing ledger in SQL.
    /// </summary>
    public async Task CatchUpAsync(Action<string, long> onReceipt, CancellationToken cancellationToken)
    {
        // One reader at a time: two concurrent catch-ups would add the same records twice.
        await _reading.WaitAsync(cancellationToken);
        try
        {
            await ReadNewAsync(onReceipt, cancellationToken);
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task ReadNewAsync(Action<string, long> onReceipt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        if (Volatile.Read(ref _lastSequence) == 0)
        {
            // The head first, then the sums up to it, so records appended in between are read incrementally, not lost.
            command.CommandText = "SELECT COALESCE(MAX(sequence), 0) FROM ledger";
            var head = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            command.CommandText = """
                SELECT tenant_id, route, model, COUNT(*), SUM(cost_micros), SUM(baseline_micros)
                FROM ledger WHERE kind = 1 AND sequence <= $head GROUP BY 1, 2, 3
                """;
            command.Parameters.AddWithValue("$head", head);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    Add(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
                }
            }

            command.Parameters.Clear();

            Volatile.Write(ref _lastSequence, head);
            if (head > 0)
            {
                return;
            }
        }

        command.CommandText = """
            SELECT sequence, kind, tenant_id, route, model, cost_micros, baseline_micros, latency_ms
            FROM ledger WHERE sequence > $after ORDER BY sequence LIMIT $batch
            """;
        var after = command.Parameters.AddWithValue("$after", 0L);
        command.Parameters.AddWithValue("$batch", BatchSize);
        int read;
        do
        {
            after.Value = Volatile.Read(ref _lastSequence);
            read = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                read++;
                Volatile.Write(ref _lastSequence, reader.GetInt64(0));
                if (reader.GetInt32(1) != 1)
                {
                    continue; // policy changes share the chain but are not requests
                }

                var route = reader.GetInt32(3);
                Add(reader.GetString(2), route, reader.GetString(4), 1, reader.GetInt64(5), reader.GetInt64(6));
                onReceipt(ReportService.TierName(route), reader.GetInt64(7));
            }
        }
        while (read == BatchSize);
    }

    private void Add(string tenant, int route, string model, long requests, long cost, long baseline)
    {
        lock (_gate)
        {
            var key = (tenant, ReportService.TierName(route), model);
            if (!_totals.TryGetValue(key, out var totals))
            {
                _totals[key] = totals = new Totals();
            }

            totals.Requests += requests;
            totals.CostMicros += cost;
            totals.BaselineMicros += baseline;
        }
    }

    public void Dispose() => _reading.Dispose();
}
