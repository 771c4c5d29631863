using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace HybridAI.Router.Shadow;

/// <summary>
/// Which requests fall in a tenant's sample: a hash of the request id mapped to [0, 1) and compared with the rate. The
/// choice is uniform, independent of content, and reproducible (the same id is always in or out of a given rate).
/// </summary>
public static class ShadowSampling
{
    public static bool Selects(string requestId, double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        if (rate >= 1)
        {
            return true;
        }

        return Position(requestId) < rate;
    }

    /// <summary>The request's position in [0, 1).</summary>
    public static double Position(string requestId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(requestId.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(requestId, buffer);
            var hash = XxHash64.HashToUInt64(buffer.AsSpan(0, written));
            return (hash >> 11) * (1.0 / (1UL << 53));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
