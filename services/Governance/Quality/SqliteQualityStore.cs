using System.Runtime.CompilerServices;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Reports;
using HybridAI.Governance.Storage;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Quality;

/// <summary>
/// Quality observations in governance's SQLite database, next to the ledger: feedback checks its receipt in the same
/// transaction it writes in, and reads join each observation to its receipt by the ledger's (tenant, kind, request id)
/// index, so only the sampled requests' receipt bodies are ever parsed.
/// </summary>
public sealed class SqliteQualityStore : IQualityStore
{
    private static readonly string[] ShadowParameters = ["$t", "$r", "$parity", "$exact", "$judge", "$model", "$cost", "$jcost", "$verdict", "$at"];
    private readonly GovernanceDatabase _database;

    public SqliteQualityStore(GovernanceDatabase database)
    {
        _database = database;
        database.WriteGate.Wait();
        try
        {
            GovernanceDatabase.Execute(database.Writer, QualitySchema.Sql);
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    public Task<FeedbackRecorded?> RecordFeedbackAsync(string tenantId, string requestId, int rating, string comment, DateTimeOffset time,
        CancellationToken cancellationToken) => _database.WriteAsync((connection, transaction) =>
    {
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT 1 FROM ledger WHERE tenant_id = $t AND kind = $k AND request_id = $r";
        exists.Parameters.AddWithValue("$t", tenantId);
        exists.Parameters.AddWithValue("$k", (int)LedgerRecordKind.Receipt);
        exists.Parameters.AddWithValue("$r", requestId);
        if (exists.ExecuteScalar() is null)
        {
            return null;
        }

        using var previous = connection.CreateCommand();
        previous.Transaction = transaction;
        previous.CommandText = "SELECT rating FROM quality WHERE tenant_id = $t AND request_id = $r";
        previous.Parameters.AddWithValue("$t", tenantId);
        previous.Parameters.AddWithValue("$r", requestId);
        var replaced = previous.ExecuteScalar() is long;

        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO quality (tenant_id, request_id, rating, comment, rated_at) VALUES ($t, $r, $rating, $comment, $at)
            ON CONFLICT (tenant_id, request_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, rated_at = excluded.rated_at
            """;
        upsert.Parameters.AddWithValue("$t", tenantId);
        upsert.Parameters.AddWithValue("$r", requestId);
        upsert.Parameters.AddWithValue("$rating", rating);
        upsert.Parameters.AddWithValue("$comment", comment.Length == 0 ? DBNull.Value : comment);
        upsert.Parameters.AddWithValue("$at", time.ToUnixTimeMilliseconds());
        upsert.ExecuteNonQuery();
        return new FeedbackRecorded(replaced, time);
    }, cancellationToken);

    public Task RecordShadowResultsAsync(IReadOnlyList<ShadowResult> results, CancellationToken cancellationToken) => _database.WriteAsync((connection, transaction) =>
    {
        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO quality (tenant_id, request_id, shadow_parity, shadow_exact, judge, shadow_model, shadow_cost_micros, judge_cost_micros, verdict, judged_at)
            VALUES ($t, $r, $parity, $exact, $judge, $model, $cost, $jcost, $verdict, $at)
            ON CONFLICT (tenant_id, request_id) DO UPDATE SET
                shadow_parity = excluded.shadow_parity, shadow_exact = excluded.shadow_exact, judge = excluded.judge,
                shadow_model = excluded.shadow_model, shadow_cost_micros = excluded.shadow_cost_micros,
                judge_cost_micros = excluded.judge_cost_micros, verdict = excluded.verdict, judged_at = excluded.judged_at
            """;
        foreach (var name in ShadowParameters)
        {
            upsert.Parameters.Add(new SqliteParameter(name, null));
        }

        upsert.Prepare();
        foreach (var result in results)
        {
            var p = upsert.Parameters;
            p["$t"].Value = result.TenantId;
            p["$r"].Value = result.RequestId;
            p["$parity"].Value = result.Parity;
            p["$exact"].Value = result.HasExactMatch ? (result.ExactMatch ? 1 : 0) : DBNull.Value;
            p["$judge"].Value = result.Judge;
            p["$model"].Value = result.ShadowModel;
            p["$cost"].Value = result.ShadowCostMicros;
            p["$jcost"].Value = result.JudgeCostMicros;
            p["$verdict"].Value = result.Verdict;
            p["$at"].Value = result.Time.ToDateTimeOffset().ToUnixTimeMilliseconds();
            upsert.ExecuteNonQuery();
        }

        return results.Count;
    }, cancellationToken);

    public async IAsyncEnumerable<QualityObservation> ReadAsync(string tenantId, DateTimeOffset rangeStart, DateTimeOffset rangeEnd,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT q.request_id, l.time_ms, l.route, l.model, l.cost_micros, l.body, q.rating, q.shadow_parity, q.shadow_cost_micros, q.judge, q.comment
            FROM quality q JOIN ledger l ON l.tenant_id = q.tenant_id AND l.kind = $kind AND l.request_id = q.request_id
            WHERE ($tenant = '' OR q.tenant_id = $tenant) AND l.time_ms >= $from AND l.time_ms < $to
            ORDER BY l.time_ms, l.sequence
            """;
        command.Parameters.AddWithValue("$kind", (int)LedgerRecordKind.Receipt);
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$from", rangeStart.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", rangeEnd.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var receipt = RoutingReceipt.Parser.ParseFrom((byte[])reader[5]);
            var signals = receipt.Signals;
            yield return new QualityObservation(
                reader.GetString(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                ReportService.TierName(reader.GetInt32(2)),
                signals?.Intent ?? "",
                reader.GetString(3),
                signals?.NeedsLlmProbability ?? 0,
                signals is { HasFaqScore: true } ? signals.FaqScore : null,
                receipt.HasSlmMeanLogprob ? receipt.SlmMeanLogprob : null,
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetDouble(7),
                reader.GetInt64(4),
                reader.IsDBNull(8) ? null : reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10));
        }
    }
}
