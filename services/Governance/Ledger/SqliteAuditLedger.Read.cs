using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Google.Protobuf;
using HybridAI.Contracts.Governance.V1;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Ledger;

public sealed partial class SqliteAuditLedger
{
    public async Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence, kind, tenant_id, request_id, time_ms, body, previous_hash, hash,
                   route, model, prompt_tokens, completion_tokens, cost_micros, baseline_micros, latency_ms, cascaded, cache_hit
            FROM ledger ORDER BY sequence
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        var previous = LedgerHash.Genesis.ToArray();
        var computed = new byte[LedgerHash.Size];
        long expected = 1, records = 0, firstBroken = 0;
        var message = "";
        while (await reader.ReadAsync(cancellationToken))
        {
            records++;
            var sequence = reader.GetInt64(0);
            if (firstBroken == 0)
            {
                var problem = Check(reader, sequence, expected, previous, computed);
                if (problem is not null)
                {
                    firstBroken = sequence;
                    message = $"record {sequence}: {problem}";
                }
            }

            previous = (byte[])reader[7];
            expected = sequence + 1;
        }

        return new LedgerVerification(firstBroken == 0, records, firstBroken,
            firstBroken == 0 ? $"{records} records, chain intact" : message,
            records == 0 ? "" : LedgerHash.ToHex(previous), expected - 1);
    }

    private static string? Check(SqliteDataReader reader, long sequence, long expected, byte[] previous, byte[] computed)
    {
        if (sequence != expected)
        {
            return $"sequence {expected} is missing (the next record is {sequence}): records were removed.";
        }

        var kind = (LedgerRecordKind)reader.GetInt32(1);
        var body = (byte[])reader[5];
        var storedPrevious = (byte[])reader[6];
        var stored = (byte[])reader[7];
        if (!CryptographicOperations.FixedTimeEquals(storedPrevious, previous))
        {
            return "its previous hash does not match the hash of the record before it: the chain was re-linked.";
        }

        LedgerHash.Compute(kind, sequence, previous, body, computed);
        if (!CryptographicOperations.FixedTimeEquals(stored, computed))
        {
            return "its content does not match its hash: the record was altered.";
        }

        return kind switch
        {
            LedgerRecordKind.Receipt => CheckReceiptColumns(reader, body),
            LedgerRecordKind.PolicyChange => CheckPolicyColumns(reader, body),
            LedgerRecordKind.ToolServerChange => CheckToolServerColumns(reader, body),
            _ => $"unknown record kind {(int)kind}.",
        };
    }

    private static string? CheckReceiptColumns(SqliteDataReader reader, byte[] body)
    {
        RoutingReceipt receipt;
        try
        {
            receipt = RoutingReceipt.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            return $"its content is not a receipt ({e.Message}).";
        }

        var facts = ReceiptFacts.From(receipt);
        var stored = new ReceiptFacts(reader.GetInt32(8), reader.GetString(9), reader.GetInt64(10), reader.GetInt64(11),
            reader.GetInt64(12), reader.GetInt64(13), reader.GetInt64(14), reader.GetInt64(15) != 0, reader.GetInt64(16) != 0);
        if (receipt.Context.TenantId != reader.GetString(2) || receipt.Context.RequestId != reader.GetString(3)
            || receipt.Time.ToDateTimeOffset().ToUnixTimeMilliseconds() != reader.GetInt64(4) || facts != stored)
        {
            return "its indexed columns (tenant, request id, time or report figures) differ from its hashed content: the row was edited.";
        }

        return null;
    }

    private static string? CheckPolicyColumns(SqliteDataReader reader, byte[] body)
    {
        var change = PolicyChange.Parser.ParseFrom(body);
        return change.TenantId == reader.GetString(2) && LedgerAppender.PolicyRequestId(change.Version) == reader.GetString(3)
            ? null
            : "its indexed columns differ from its hashed content: the row was edited.";
    }

    private static string? CheckToolServerColumns(SqliteDataReader reader, byte[] body)
    {
        var change = ToolServerChange.Parser.ParseFrom(body);
        return change.TenantId == reader.GetString(2) && reader.GetString(3).StartsWith(LedgerAppender.ToolServerRequestIdPrefix(change.Name), StringComparison.Ordinal)
            ? null
            : "its indexed columns differ from its hashed content: the row was edited.";
    }

    public async IAsyncEnumerable<LedgerEntry> ReadAsync(LedgerQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT sequence, kind, tenant_id, request_id, time_ms, body, previous_hash, hash FROM ledger
            WHERE time_ms >= $from AND time_ms < $to
              {(query.TenantId.Length > 0 ? "AND tenant_id = $tenant" : "")}
              {(query.Kind is not null ? "AND kind = $kind" : "")}
            ORDER BY sequence
            """;
        command.Parameters.AddWithValue("$from", query.From.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", query.To.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$tenant", query.TenantId);
        command.Parameters.AddWithValue("$kind", (int)(query.Kind ?? 0));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new LedgerEntry(reader.GetInt64(0), (LedgerRecordKind)reader.GetInt32(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), (byte[])reader[5], (byte[])reader[6], (byte[])reader[7]);
        }
    }

    public async Task<LedgerAggregate> AggregateAsync(string tenantId, DateTimeOffset rangeStart, DateTimeOffset rangeEnd, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenReaderAsync(cancellationToken);
        const string Where = "kind = 1 AND tenant_id = $tenant AND time_ms >= $from AND time_ms < $to";
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT route, model, COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_micros), SUM(baseline_micros),
                   SUM(cascaded), SUM(cache_hit)
            FROM ledger WHERE {Where} GROUP BY route, model ORDER BY route, model
            """;
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$from", rangeStart.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", rangeEnd.ToUnixTimeMilliseconds());
        var rows = new List<LedgerAggregateRow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new LedgerAggregateRow(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8)));
            }
        }

        var total = rows.Sum(r => r.Requests);
        return new LedgerAggregate(rows,
            await LatencyPercentileAsync(command, Where, total, 50, cancellationToken),
            await LatencyPercentileAsync(command, Where, total, 95, cancellationToken));
    }

    /// <summary>The nearest-rank percentile of latency, computed by the database without loading every value.</summary>
    private static async Task<double> LatencyPercentileAsync(SqliteCommand command, string where, long total, int percentile, CancellationToken cancellationToken)
    {
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * total));
        command.CommandText = $"SELECT latency_ms FROM ledger WHERE {where} ORDER BY latency_ms LIMIT 1 OFFSET $offset";
        command.Parameters.AddWithValue("$offset", rank - 1);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        command.Parameters.RemoveAt("$offset");
        return Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
