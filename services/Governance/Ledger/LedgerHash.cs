using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Ledger;

/// <summary>
/// The ledger's hash chain. A record's hash is
/// <c>SHA-256("hybridai-ledger-v1" ‖ kind (1 byte) ‖ sequence (int64, big-endian) ‖ previous hash (32 bytes) ‖ body)</c>,
/// where body is the record's canonical serialisation: the protobuf encoding of the receipt (or policy change) with
/// the ledger fields cleared and map entries sorted by key, so the same facts always give the same bytes. The first
/// record's previous hash is 32 zero bytes.
/// </summary>
public static class LedgerHash
{
    public const int Size = 32;

    private static readonly byte[] Domain = "hybridai-ledger-v1"u8.ToArray();

    /// <summary>The previous hash of the first record.</summary>
    public static ReadOnlySpan<byte> Genesis => new byte[Size];

    public static void Compute(LedgerRecordKind kind, long sequence, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[1 + sizeof(long)];
        header[0] = (byte)kind;
        BinaryPrimitives.WriteInt64BigEndian(header[1..], sequence);
        hash.AppendData(Domain);
        hash.AppendData(header);
        hash.AppendData(previousHash);
        hash.AppendData(body);
        if (!hash.TryGetHashAndReset(destination, out _))
        {
            throw new ArgumentException("The destination is shorter than a SHA-256 hash.", nameof(destination));
        }
    }

    public static byte[] Compute(LedgerRecordKind kind, long sequence, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> body)
    {
        var result = new byte[Size];
        Compute(kind, sequence, previousHash, body, result);
        return result;
    }

    /// <summary>The canonical bytes of a receipt: ledger fields cleared, maps sorted by key.</summary>
    public static byte[] Canonical(RoutingReceipt receipt)
    {
        var copy = receipt.Clone();
        copy.Sequence = 0;
        copy.PreviousHash = "";
        copy.Hash = "";
        if (copy.Signals is { ModelVersions.Count: > 1 } signals)
        {
            var sorted = signals.ModelVersions.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            signals.ModelVersions.Clear();
            foreach (var (key, value) in sorted)
            {
                signals.ModelVersions.Add(key, value);
            }
        }

        return copy.ToByteArray();
    }

    /// <summary>The canonical bytes of a policy change (the policy holds no maps).</summary>
    public static byte[] Canonical(PolicyChange change) => change.ToByteArray();

    public static byte[] Canonical(ToolServerChange change) => change.ToByteArray();

    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);
}
