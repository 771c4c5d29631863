using System.Text.Json;
using HybridAI.Governance.Admin;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Tenants;

namespace HybridAI.Governance.Ledger;

/// <summary>
/// The JSONL export: one record per line,
/// <c>{"sequence":N,"kind":"receipt"|"policy_change"|"tool_server_change","time":"…","tenant_id":"…","previous_hash":"hex","hash":"hex","record":{…}}</c>,
/// where record is the proto3 JSON of the receipt (ledger fields empty), policy change or tool-server change. An auditor recomputes a
/// hash from the line alone: parse record, take its canonical bytes, and hash as <see cref="LedgerHash"/> says.
/// </summary>
public static class LedgerExport
{
    public static LedgerQuery Query(string? tenantId, DateTimeOffset? from, DateTimeOffset? to, bool includePolicyChanges)
    {
        var problems = new List<Problem>();
        if (!string.IsNullOrEmpty(tenantId))
        {
            TenantRules.CheckTenantId("tenant", tenantId, problems);
        }

        var start = from ?? DateTimeOffset.UnixEpoch;
        var end = to ?? DateTimeOffset.MaxValue.AddDays(-1);
        if (start >= end)
        {
            problems.Add(new Problem("from", "must be before to."));
        }

        Throw.IfAny("The export request", problems);
        return new LedgerQuery(tenantId ?? "", start, end, includePolicyChanges ? null : LedgerRecordKind.Receipt);
    }

    public static void WriteLine(Utf8JsonWriter writer, LedgerEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteNumber("sequence", entry.Sequence);
        writer.WriteString("kind", entry.Kind switch
        {
            LedgerRecordKind.Receipt => "receipt",
            LedgerRecordKind.PolicyChange => "policy_change",
            _ => "tool_server_change",
        });
        writer.WriteString("time", entry.Time);
        writer.WriteString("tenant_id", entry.TenantId);
        writer.WriteString("previous_hash", LedgerHash.ToHex(entry.PreviousHash));
        writer.WriteString("hash", LedgerHash.ToHex(entry.Hash));
        writer.WritePropertyName("record");
        writer.WriteRawValue(entry.Kind switch
        {
            LedgerRecordKind.Receipt => ProtoJson.Formatter.Format(Contracts.Governance.V1.RoutingReceipt.Parser.ParseFrom(entry.Body)),
            LedgerRecordKind.PolicyChange => ProtoJson.Formatter.Format(entry.ToPolicyChange()),
            _ => ProtoJson.Formatter.Format(entry.ToToolServerChange()),
        }, skipInputValidation: true);
        writer.WriteEndObject();
    }
}
