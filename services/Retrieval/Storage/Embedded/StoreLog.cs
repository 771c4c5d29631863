using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Google.Protobuf;
using HybridAI.Retrieval.Storage.Embedded.Records;

namespace HybridAI.Retrieval.Storage.Embedded;

/// <summary>
/// The framing of the embedded store's files: an 8-byte magic, then records as <c>[u32 length][u32 CRC-32][payload]</c>
/// (little-endian). A frame that is cut short or fails its CRC ends the readable log: in the write-ahead log that is a
/// write interrupted by a crash, and everything before it is intact because each commit is flushed to disk (fsync)
/// before it is acknowledged.
/// </summary>
public static class StoreLog
{
    public static ReadOnlySpan<byte> Magic => "HAIRLOG1"u8;

    /// <summary>Frames larger than this are treated as corrupt (a torn length field), not allocated.</summary>
    public const int MaxRecordBytes = 512 * 1024 * 1024;

    private const int FrameHeader = 8;

    /// <summary>Reads records from the start of <paramref name="stream"/> until the end or the first damaged frame.</summary>
    public static LogReadResult Read(Stream stream, Action<LogRecord> onRecord)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(onRecord);
        stream.Position = 0;
        Span<byte> magic = stackalloc byte[8];
        if (stream.Length < Magic.Length || stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) < magic.Length || !magic.SequenceEqual(Magic))
        {
            return new LogReadResult(0, 0, stream.Length, stream.Length == 0 ? null : "the file does not start with the store's magic bytes");
        }

        long valid = Magic.Length;
        var records = 0;
        Span<byte> header = stackalloc byte[FrameHeader];
        while (true)
        {
            var read = stream.ReadAtLeast(header, FrameHeader, throwOnEndOfStream: false);
            if (read == 0)
            {
                return new LogReadResult(records, valid, stream.Length, null);
            }

            if (read < FrameHeader)
            {
                return new LogReadResult(records, valid, stream.Length, "a frame header is cut short");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (length > MaxRecordBytes || valid + FrameHeader + length > stream.Length)
            {
                return new LogReadResult(records, valid, stream.Length, "a record is cut short");
            }

            var payload = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                stream.ReadExactly(payload, 0, (int)length);
                if (Crc32.HashToUInt32(payload.AsSpan(0, (int)length)) != crc)
                {
                    return new LogReadResult(records, valid, stream.Length, "a record fails its checksum");
                }

                LogRecord record;
                try
                {
                    record = LogRecord.Parser.ParseFrom(payload, 0, (int)length);
                }
                catch (InvalidProtocolBufferException e)
                {
                    return new LogReadResult(records, valid, stream.Length, $"a record cannot be decoded: {e.Message}");
                }

                onRecord(record);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(payload);
            }

            valid += FrameHeader + length;
            records++;
        }
    }

    /// <summary>Writes the magic bytes (a new, empty file).</summary>
    public static void WriteMagic(Stream stream) => stream.Write(Magic);

    /// <summary>Frames <paramref name="record"/> into one buffer, so a commit is a single write.</summary>
    public static byte[] Frame(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var size = record.CalculateSize();
        if (size > MaxRecordBytes)
        {
            throw new InvalidOperationException($"A store record of {size} bytes exceeds the limit of {MaxRecordBytes} bytes.");
        }

        var frame = new byte[FrameHeader + size];
        record.WriteTo(frame.AsSpan(FrameHeader));
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32.HashToUInt32(frame.AsSpan(FrameHeader)));
        return frame;
    }
}

/// <summary>How far a log could be read.</summary>
/// <param name="Records">Good records read.</param>
/// <param name="ValidLength">Bytes from the start that hold them.</param>
/// <param name="FileLength">The file's length.</param>
/// <param name="Damage">Why reading stopped before the end, or <see langword="null"/> when the whole file was read.</param>
public sealed record LogReadResult(int Records, long ValidLength, long FileLength, string? Damage);
