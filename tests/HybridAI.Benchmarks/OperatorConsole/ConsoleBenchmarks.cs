using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Benchmarks.Governance;
using HybridAI.Benchmarks.Harness;
using HybridAI.Governance.OperatorConsole.Data;
using HybridAI.Governance.OperatorConsole.Metrics;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Storage;

namespace HybridAI.Benchmarks.OperatorConsole;

/// <summary>
/// The operator console's reads on a large ledger (1,000,000 receipts over 30 days, 8 tenants): the figures of one
/// page view for 24 hours and for 30 days, the latest receipts and a metrics catch-up, against the baseline of the
/// cheapest possible read of the same window (one COUNT and SUM over it).
/// </summary>
public sealed class ConsoleBenchmarks : IBenchmarkSuite
{
    public string Name => "console";

    public string Title => "Console: page figures on a large ledger";

    public async Task<BenchmarkSection> RunAsync(BenchmarkContext context, CancellationToken cancellationToken)
    {
        var receipts = context.Quick ? 100_000 : 1_000_000;
        var iterations = context.Quick ? 5 : 15;
        var load = MachineLoad.Averages();
        var folder = Path.Combine(Path.GetTempPath(), "hybridai-bench", Guid.NewGuid().ToString("N"));
        try
        {
            await using var database = new GovernanceDatabase(Path.Combine(folder, "governance.db"), Durability.Off);
            var end = await FillAsync(database, receipts, cancellationToken);
            var queries = new ConsoleQueries(database);
            var day = new ConsoleQuery(end - TimeSpan.FromDays(1), end, TimeSpan.FromHours(1), "");
            var month = new ConsoleQuery(end - TimeSpan.FromDays(30), end, TimeSpan.FromDays(1), "");

            var md = new StringBuilder();
            md.AppendLine(CultureInfo.InvariantCulture, $"""
                {receipts:N0} receipts over 30 days (8 tenants, a quarter to the LLM tier) in one SQLite ledger. "Page figures" is
                everything one console view computes (series per bucket and route, cost by tenant and by model, p50/p95/p99 per
                route); the baseline is one `COUNT(*), SUM(cost)` over the same window, the least any view of it could cost.
                Median of {iterations} runs after a warm-up.

                | read | window | rows in window | p50 ms | vs baseline |
                |---|---|---:|---:|---:|
                """);
            foreach (var (name, query) in new[] { ("24 h, hour buckets", day), ("30 days, day buckets", month) })
            {
                var rows = await CountAsync(database, query, cancellationToken);
                var baseline = await TimeAsync(iterations, () => CountAsync(database, query, cancellationToken));
                var page = await TimeAsync(iterations, async () =>
                {
                    await queries.SeriesAsync(query, cancellationToken);
                    await queries.CostByAsync(query, byModel: false, cancellationToken);
                    await queries.CostByAsync(query, byModel: true, cancellationToken);
                    await queries.LatencyByRouteAsync(query, cancellationToken);
                    return 0L;
                });
                md.AppendLine(CultureInfo.InvariantCulture, $"| baseline COUNT + SUM | {name} | {rows:N0} | {baseline:F1} | 1.00× |");
                md.AppendLine(CultureInfo.InvariantCulture, $"| page figures | {name} | {rows:N0} | {page:F1} | {page / baseline:F2}× |");
                foreach (var (part, read) in new (string, Func<Task<long>>)[]
                {
                    ("· series by bucket and route", async () => (await queries.SeriesAsync(query, cancellationToken)).Totals.Requests),
                    ("· cost by tenant", async () => (await queries.CostByAsync(query, byModel: false, cancellationToken)).Count),
                    ("· cost by model", async () => (await queries.CostByAsync(query, byModel: true, cancellationToken)).Count),
                    ("· latency percentiles", async () => (await queries.LatencyByRouteAsync(query, cancellationToken)).Count),
                })
                {
                    var ms = await TimeAsync(iterations, read);
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {part} | {name} | {rows:N0} | {ms:F1} | {ms / baseline:F2}× |");
                }
            }

            var latest = await TimeAsync(iterations, async () => (long)(await queries.LatestReceiptsAsync("", 25, cancellationToken)).Count);
            md.AppendLine(CultureInfo.InvariantCulture, $"| latest 25 receipts | whole ledger | – | {latest:F2} | – |");
            var totalsReader = new LedgerTotals(database);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await totalsReader.CatchUpAsync((_, _) => { }, cancellationToken);
            var catchUp = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            md.AppendLine(CultureInfo.InvariantCulture, $"| metrics start-up (sum the whole ledger once) | whole ledger | {receipts:N0} | {catchUp:F0} | – |");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Machine load (1/5/15-min load average) before: {load}; after: {MachineLoad.Averages()}. Other helpers build on the same 2 cores; the ratios are the stable result.");
            return new BenchmarkSection(md.ToString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<DateTimeOffset> FillAsync(GovernanceDatabase database, int count, CancellationToken cancellationToken)
    {
        var ledger = new SqliteAuditLedger(database);
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromDays(30) / count;
        const int Batch = 5_000;
        for (var offset = 0; offset < count; offset += Batch)
        {
            var batch = BenchReceipts.Make(Math.Min(Batch, count - offset), "t0", offset);
            for (var i = 0; i < batch.Count; i++)
            {
                var n = offset + i;
                batch[i].Context.TenantId = $"t{n % 8}";
                batch[i].Time = Timestamp.FromDateTimeOffset(start + (step * n));
            }

            await ledger.AppendReceiptsAsync(batch, cancellationToken);
        }

        return start + TimeSpan.FromDays(30);
    }

    private static async Task<long> CountAsync(GovernanceDatabase database, ConsoleQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), SUM(cost_micros) FROM ledger WHERE kind = 1 AND time_ms >= $from AND time_ms < $to";
        command.Parameters.AddWithValue("$from", query.From.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", query.To.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(0);
    }

    private static async Task<double> TimeAsync(int iterations, Func<Task<long>> read)
    {
        await read();
        var samples = new LatencySamples();
        for (var i = 0; i < iterations; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await read();
            samples.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return samples.Percentile(50);
    }

}
