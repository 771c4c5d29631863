using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Ledger;

/// <summary>
/// Appends records inside one write transaction, advancing a local copy of the chain head; the ledger adopts the
/// new head only after the transaction commits, so a rolled-back append leaves the chain as it was.
/// </summary>
public sealed class LedgerAppender : IDisposable
{
    private readonly SqliteCommand _exists;
    private readonly SqliteCommand _insert;

    internal LedgerAppender(SqliteConnection connection, SqliteTransaction transaction, long headSequence, byte[] headHash)
    {
        HeadSequence = headSequence;
        HeadHash = headHash;
        _exists = connection.CreateCommand();
        _exists.Transaction = transaction;
        _exists.CommandText = "SELECT 1 FROM ledger WHERE tenant_id = $t AND kind = $k AND request_id = $r";
        _exists.Parameters.Add("$t", SqliteType.Text);
        _exists.Parameters.Add("$k", SqliteType.Integer);
        _exists.Parameters.Add("$r", SqliteType.Text);

        _insert = connection.CreateCommand();
        _insert.Transaction = transaction;
        _insert.CommandText = """
            INSERT INTO ledger (sequence, kind, tenant_id, request_id, time_ms, body, previous_hash, hash,
                                route, model, prompt_tokens, completion_tokens, cost_micros, baseline_micros,
                                latency_ms, cascaded, cache_hit)
            VALUES ($seq, $kind, $tenant, $request, $time, $body, $prev, $hash,
                    $route, $model, $pt, $ct, $cost, $base, $lat, $casc, $cache)
            """;
        foreach (var (name, type) in new[]
        {
            ("$seq", SqliteType.Integer), ("$kind", SqliteType.Integer), ("$tenant", SqliteType.Text), ("$request", SqliteType.Text),
            ("$time", SqliteType.Integer), ("$body", SqliteType.Blob), ("$prev", SqliteType.Blob), ("$hash", SqliteType.Blob),
            ("$route", SqliteType.Integer), ("$model", SqliteType.Text), ("$pt", SqliteType.Integer), ("$ct", SqliteType.Integer),
            ("$cost", SqliteType.Integer), ("$base", SqliteType.Integer), ("$lat", SqliteType.Integer), ("$casc", SqliteType.Integer),
            ("$cache", SqliteType.Integer),
        })
        {
            _insert.Parameters.Add(name, type);
        }

        _insert.Prepare();
    }

    public long HeadSequence { get; private set; }

    public byte[] HeadHash { get; private set; }

    /// <summary>Appends a receipt unless its (tenant, request id) is already recorded; returns whether it was appended.</summary>
    public bool TryAppend(RoutingReceipt receipt)
    {
        var context = receipt.Context;
        if (Exists(LedgerRecordKind.Receipt, context.TenantId, context.RequestId))
        {
            return false;
        }

        Insert(LedgerRecordKind.Receipt, context.TenantId, context.RequestId, receipt.Time.ToDateTimeOffset(), LedgerHash.Canonical(receipt),
            ReceiptFacts.From(receipt));
        return true;
    }

    /// <summary>Appends a policy change (its request id is <c>policy:v{version}</c>).</summary>
    public void Append(PolicyChange change) =>
        Insert(LedgerRecordKind.PolicyChange, change.TenantId, PolicyRequestId(change.Version), change.Time.ToDateTimeOffset(),
            LedgerHash.Canonical(change), ReceiptFacts.None);

    public static string PolicyRequestId(int version) => $"policy:v{version}";

    /// <summary>Appends a tool-server change (its request id is <c>tool-server:{name}:{id}</c>, unique per change).</summary>
    public void Append(ToolServerChange change) =>
        Insert(LedgerRecordKind.ToolServerChange, change.TenantId, $"{ToolServerRequestIdPrefix(change.Name)}{Guid.NewGuid():N}", change.Time.ToDateTimeOffset(),
            LedgerHash.Canonical(change), ReceiptFacts.None);

    public static string ToolServerRequestIdPrefix(string name) => $"tool-server:{name}:";

    private bool Exists(LedgerRecordKind kind, string tenantId, string requestId)
    {
        _exists.Parameters["$t"].Value = tenantId;
        _exists.Parameters["$k"].Value = (int)kind;
        _exists.Parameters["$r"].Value = requestId;
        return _exists.ExecuteScalar() is not null;
    }

    private void Insert(LedgerRecordKind kind, string tenantId, string requestId, DateTimeOffset time, byte[] body, ReceiptFacts facts)
    {
        var sequence = HeadSequence + 1;
        var hash = LedgerHash.Compute(kind, sequence, HeadHash, body);
        var p = _insert.Parameters;
        p["$seq"].Value = sequence;
        p["$kind"].Value = (int)kind;
        p["$tenant"].Value = tenantId;
        p["$request"].Value = requestId;
        p["$time"].Value = time.ToUnixTimeMilliseconds();
        p["$body"].Value = body;
        p["$prev"].Value = HeadHash;
        p["$hash"].Value = hash;
        p["$route"].Value = facts.Route;
        p["$model"].Value = facts.Model;
        p["$pt"].Value = facts.PromptTokens;
        p["$ct"].Value = facts.CompletionTokens;
        p["$cost"].Value = facts.CostMicros;
        p["$base"].Value = facts.BaselineMicros;
        p["$lat"].Value = facts.LatencyMs;
        p["$casc"].Value = facts.Cascaded ? 1 : 0;
        p["$cache"].Value = facts.CacheHit ? 1 : 0;
        _insert.ExecuteNonQuery();
        HeadSequence = sequence;
        HeadHash = hash;
    }

    public void Dispose()
    {
        _exists.Dispose();
        _insert.Dispose();
    }
}

/// <summary>The facts of a receipt that reports aggregate, copied into columns next to the hashed body.</summary>
public readonly record struct ReceiptFacts(
    int Route, string Model, long PromptTokens, long CompletionTokens, long CostMicros, long BaselineMicros,
    long LatencyMs, bool Cascaded, bool CacheHit)
{
    public static ReceiptFacts None => new(0, "", 0, 0, 0, 0, 0, false, false);

    public static ReceiptFacts From(RoutingReceipt receipt)
    {
        var decision = receipt.Decision ?? new RoutingDecision();
        var usage = receipt.Usage ?? new TokenUsage();
        return new ReceiptFacts((int)decision.Route, decision.Model, usage.PromptTokens, usage.CompletionTokens,
            decision.CostMicros, decision.BaselineCostMicros, receipt.LatencyMs, decision.Cascaded, decision.CacheHit);
    }
}
