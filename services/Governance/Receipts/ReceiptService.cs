using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Tenants;

namespace HybridAI.Governance.Receipts;

/// <summary>
/// Accepts routing receipts into the ledger. A batch is never refused as a whole for one bad receipt: valid
/// receipts are appended (idempotently by tenant and request id) and each invalid one is reported with its reason,
/// so a sender can drop exactly those instead of retrying them forever.
/// </summary>
public sealed class ReceiptService(IAuditLedger ledger, KnownTenants tenants, TimeProvider clock)
{
    public const int MaxBatch = 1000;
    public const int MaxIdLength = 128;
    public static readonly string[] Outcomes = ["", "ok", "error", "blocked", "cancelled"];

    public async Task<RecordReceiptsResponse> RecordAsync(RecordReceiptsRequest request, CancellationToken cancellationToken)
    {
        if (request.Receipts.Count > MaxBatch)
        {
            Throw.IfAny("The batch", [new Problem("receipts", $"may hold at most {MaxBatch} receipts, but holds {request.Receipts.Count}.")]);
        }

        var response = new RecordReceiptsResponse();
        var valid = new List<RoutingReceipt>(request.Receipts.Count);
        var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        for (var i = 0; i < request.Receipts.Count; i++)
        {
            var receipt = request.Receipts[i];
            var reason = await ProblemWithAsync(receipt, cancellationToken);
            if (reason is not null)
            {
                response.Rejected.Add(new RejectedReceipt { Index = i, RequestId = receipt.Context?.RequestId ?? "", Reason = reason });
                continue;
            }

            if (receipt.Time is null)
            {
                receipt = receipt.Clone();
                receipt.Time = now;
            }

            valid.Add(receipt);
        }

        var result = await ledger.AppendReceiptsAsync(valid, cancellationToken);
        GovernanceTelemetry.Receipts.Add(result.Accepted, new KeyValuePair<string, object?>("result", "accepted"));
        GovernanceTelemetry.Receipts.Add(result.Duplicates, new KeyValuePair<string, object?>("result", "duplicate"));
        GovernanceTelemetry.Receipts.Add(response.Rejected.Count, new KeyValuePair<string, object?>("result", "rejected"));
        response.Accepted = result.Accepted;
        response.Duplicates = result.Duplicates;
        return response;
    }

    private async ValueTask<string?> ProblemWithAsync(RoutingReceipt receipt, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var context = receipt.Context;
        if (context is null || string.IsNullOrWhiteSpace(context.RequestId) || context.RequestId.Length > MaxIdLength)
        {
            problems.Add($"context.request_id is required (1-{MaxIdLength} characters)");
        }

        if (context is null || !TenantRules.TenantId().IsMatch(context.TenantId))
        {
            problems.Add("context.tenant_id is not a valid tenant id");
        }
        else if (!await tenants.ExistsAsync(context.TenantId, cancellationToken))
        {
            problems.Add($"tenant '{context.TenantId}' does not exist");
        }

        if (receipt.LatencyMs < 0)
        {
            problems.Add("latency_ms must not be negative");
        }

        if (receipt.Usage is { } u && (u.PromptTokens < 0 || u.CompletionTokens < 0 || u.CachedPromptTokens < 0))
        {
            problems.Add("usage token counts must not be negative");
        }

        if (receipt.Decision is { } d && (d.CostMicros < 0 || d.BaselineCostMicros < 0))
        {
            problems.Add("decision costs must not be negative");
        }

        if (!Outcomes.Contains(receipt.Outcome, StringComparer.Ordinal))
        {
            problems.Add($"outcome must be ok, error, blocked or cancelled, not '{TenantRules.Truncate(receipt.Outcome)}'");
        }

        if (receipt.Sequence != 0 || receipt.Hash.Length > 0 || receipt.PreviousHash.Length > 0)
        {
            problems.Add("sequence, previous_hash and hash are set by the ledger and must be empty");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems) + ".";
    }
}
