using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Reports;
using HybridAI.Governance.Storage;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.OperatorConsole.Data;

/// <summary>
/// The console's reads of the ledger. Every query is bounded: a time window on the (kind, time) index, sums and
/// percentiles computed by SQLite (no receipt bodies loaded), and the receipt list limited and read by sequence.
/// </summary>
public sealed class ConsoleQueries(GovernanceDatabase database)
{
    private const string Receipts = "kind = 1 AND time_ms >= $from AND time_ms < $to";

    /// <summary>Requests, cost and baseline per (bucket, route), every bucket of the range present (zeros where idle).</summary>
    public async Task<(IReadOnlyList<TimeBucket> Series, ConsoleTotals Totals)> SeriesAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        var bucketMs = (long)query.Bucket.TotalMilliseconds;
        var fromMs = query.From.ToUnixTimeMilliseconds();
        var count = (int)Math.Ceiling((query.To.ToUnixTimeMilliseconds() - fromMs) / (double)bucketMs);
        var slm = new long[count];
        var llm = new long[count];
        var cache = new long[count];
        var blocked = new long[count];
        var cost = new long[count];
        var baseline = new long[count];
        long requests = 0;

        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, query, $"""
            SELECT (time_ms - $from) / $bucket, route, COUNT(*), SUM(cost_micros), SUM(baseline_micros)
            FROM ledger WHERE {Where(query)} GROUP BY 1, 2
            """);
        command.Parameters.AddWithValue("$bucket", bucketMs);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var i = (int)reader.GetInt64(0);
                var n = reader.GetInt64(2);
                var tier = ReportService.TierName(reader.GetInt32(1));
                _ = tier switch
                {
                    "slm" => slm[i] += n,
                    "llm" => llm[i] += n,
                    "cache" => cache[i] += n,
                    "blocked" => blocked[i] += n,
                    _ => 0, // unspecified: counted in the totals, not in the route mix
                };
                requests += n;
                cost[i] += reader.GetInt64(3);
                baseline[i] += reader.GetInt64(4);
            }
        }

        var series = new TimeBucket[count];
        for (var i = 0; i < count; i++)
        {
            series[i] = new TimeBucket(query.From + (query.Bucket * i), slm[i], llm[i], cache[i], blocked[i], Money.Usd(cost[i]), Money.Usd(baseline[i]));
        }

        var costUsd = Money.Usd(cost.Sum());
        var baselineUsd = Money.Usd(baseline.Sum());
        var totals = new ConsoleTotals(requests, costUsd, baselineUsd, baselineUsd - costUsd,
            baselineUsd == 0 ? 0 : (baselineUsd - costUsd) / baselineUsd, slm.Sum(), llm.Sum(), cache.Sum(), blocked.Sum());
        return (series, totals);
    }

    /// <summary>Requests and money grouped by tenant or by model, largest cost first.</summary>
    public async Task<IReadOnlyList<CostRow>> CostByAsync(ConsoleQuery query, bool byModel, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        var column = byModel ? "model" : "tenant_id";
        await using var command = Command(connection, query, $"""
            SELECT {column}, COUNT(*), SUM(cost_micros), SUM(baseline_micros) FROM ledger WHERE {Where(query)}
            GROUP BY 1 ORDER BY 3 DESC, 2 DESC, 1 LIMIT 50
            """);
        var rows = new List<CostRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            rows.Add(new CostRow(key.Length == 0 ? "(none)" : key, reader.GetInt64(1), Money.Usd(reader.GetInt64(2)), Money.Usd(reader.GetInt64(3))));
        }

        return rows;
    }

    /// <summary>
    /// Exact nearest-rank p50, p95 and p99 of latency per route (rank = ceil(p × n / 100)). SQLite counts each
    /// distinct (route, latency) pair, far fewer rows than receipts since latency is in whole milliseconds, and the
    /// ranks are found by walking those counts in order; no receipt-sized sort or window is needed.
    /// </summary>
    public async Task<IReadOnlyList<RouteLatency>> LatencyByRouteAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, query,
            $"SELECT route, latency_ms, COUNT(*) FROM ledger WHERE {Where(query)} GROUP BY 1, 2 ORDER BY 1, 2");
        var histograms = new SortedDictionary<int, List<(long Ms, long Count)>>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var route = reader.GetInt32(0);
                if (!histograms.TryGetValue(route, out var histogram))
                {
                    histograms[route] = histogram = [];
                }

                histogram.Add((reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        return histograms.Where(h => h.Key != 0).Select(h =>
        {
            var n = h.Value.Sum(x => x.Count);
            double At(int p)
            {
                var rank = Math.Max(1, ((p * n) + 99) / 100);
                long seen = 0;
                foreach (var (ms, count) in h.Value)
                {
                    seen += count;
                    if (seen >= rank)
                    {
                        return ms;
                    }
                }

                return h.Value[^1].Ms;
            }

            return new RouteLatency(ReportService.TierName(h.Key), n, At(50), At(95), At(99));
        }).ToList();
    }

    /// <summary>
    /// The newest receipts (by ledger sequence), optionally of one tenant. <c>+kind</c> keeps SQLite walking the
    /// primary key backwards (stopping after <paramref name="limit"/> rows) instead of sorting every receipt by sequence.
    /// </summary>
    public async Task<IReadOnlyList<ReceiptRow>> LatestReceiptsAsync(string tenant, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT sequence, tenant_id, request_id, time_ms, body, previous_hash, hash FROM ledger
            WHERE +kind = 1 {(tenant.Length > 0 ? "AND tenant_id = $tenant" : "")} ORDER BY sequence DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$tenant", tenant);
        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<ReceiptRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var receipt = new LedgerEntry(reader.GetInt64(0), LedgerRecordKind.Receipt, reader.GetString(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), (byte[])reader[4], (byte[])reader[5], (byte[])reader[6]).ToReceipt();
            rows.Add(ToRow(receipt));
        }

        return rows;
    }

    private static ReceiptRow ToRow(RoutingReceipt r)
    {
        var d = r.Decision ?? new Contracts.Common.V1.RoutingDecision();
        return new ReceiptRow(r.Sequence, r.Time.ToDateTimeOffset(), r.Context.TenantId, r.Context.RequestId, ReportService.TierName((int)d.Route),
            d.Model, d.Rule, [.. d.Reasons], r.Outcome, d.BlockCode, Money.Usd(d.CostMicros), Money.Usd(d.BaselineCostMicros), r.LatencyMs,
            d.Cascaded, d.CacheHit, r.Hash);
    }

    private static string Where(ConsoleQuery query) => query.Tenant.Length > 0 ? Receipts + " AND tenant_id = $tenant" : Receipts;

    private static SqliteCommand Command(SqliteConnection connection, ConsoleQuery query, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$from", query.From.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", query.To.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$tenant", query.Tenant);
        return command;
    }
}
