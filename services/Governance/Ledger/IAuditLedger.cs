using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Ledger;

/// <summary>
/// The append-only, hash-chained audit ledger. SQLite is the default store (<see cref="SqliteAuditLedger"/>); a
/// PostgreSQL store implements the same contract.
/// </summary>
public interface IAuditLedger
{
    /// <summary>
    /// Appends validated receipts in order, durably, in one transaction. A receipt whose (tenant, request id) is
    /// already recorded is a duplicate: it is not appended again and counts in <see cref="AppendResult.Duplicates"/>.
    /// </summary>
    Task<AppendResult> AppendReceiptsAsync(IReadOnlyList<RoutingReceipt> receipts, CancellationToken cancellationToken);

    /// <summary>Recomputes the whole chain and names the first record that does not match.</summary>
    Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken);

    /// <summary>Records in sequence order, filtered by tenant (empty: all) and time range [from, to).</summary>
    IAsyncEnumerable<LedgerEntry> ReadAsync(LedgerQuery query, CancellationToken cancellationToken);

    /// <summary>Sums of a tenant's receipts in [rangeStart, rangeEnd) for reports.</summary>
    Task<LedgerAggregate> AggregateAsync(string tenantId, DateTimeOffset rangeStart, DateTimeOffset rangeEnd, CancellationToken cancellationToken);
}

public sealed record AppendResult(int Accepted, int Duplicates);

public sealed record LedgerQuery(string TenantId, DateTimeOffset From, DateTimeOffset To, LedgerRecordKind? Kind = null);

/// <summary>The outcome of <see cref="IAuditLedger.VerifyAsync"/>; <see cref="FirstBrokenSequence"/> is 0 when valid.</summary>
public sealed record LedgerVerification(bool Valid, long Records, long FirstBrokenSequence, string Message, string HeadHash, long HeadSequence);

/// <summary>One stored ledger record with its chain fields.</summary>
public sealed record LedgerEntry(
    long Sequence, LedgerRecordKind Kind, string TenantId, string RequestId, DateTimeOffset Time,
    byte[] Body, byte[] PreviousHash, byte[] Hash)
{
    /// <summary>The receipt with its ledger fields set (kind Receipt only).</summary>
    public RoutingReceipt ToReceipt()
    {
        var receipt = RoutingReceipt.Parser.ParseFrom(Body);
        receipt.Sequence = Sequence;
        receipt.PreviousHash = LedgerHash.ToHex(PreviousHash);
        receipt.Hash = LedgerHash.ToHex(Hash);
        return receipt;
    }

    /// <summary>The policy change (kind PolicyChange only).</summary>
    public PolicyChange ToPolicyChange() => PolicyChange.Parser.ParseFrom(Body);

    /// <summary>The tool-server change (kind ToolServerChange only).</summary>
    public ToolServerChange ToToolServerChange() => ToolServerChange.Parser.ParseFrom(Body);
}

/// <summary>Per (route, model) sums and the latency percentiles of a tenant's receipts.</summary>
public sealed record LedgerAggregate(IReadOnlyList<LedgerAggregateRow> Rows, double LatencyP50Ms, double LatencyP95Ms);

public sealed record LedgerAggregateRow(
    int Route, string Model, long Requests, long PromptTokens, long CompletionTokens,
    long CostMicros, long BaselineMicros, long Cascaded, long CacheHits);
