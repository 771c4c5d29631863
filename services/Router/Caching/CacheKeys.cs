using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HybridAI.Contracts.Common.V1;
using HybridAI.Router.Requests;

namespace HybridAI.Router.Caching;

/// <summary>
/// Cache identities of a request. The context hash covers what shapes an answer besides the question (model,
/// sampling settings, stop sequences, response format, and every message but the last user message); the exact hash
/// adds the last user message. Fields are length-prefixed so no two requests share a serialisation.
/// </summary>
public static class CacheKeys
{
    public static CacheKey For(ChatCall call, DataClass dataClass)
    {
        var r = call.Request;
        var last = LastUserIndex(call);
        using var context = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(context, "v1");
        Add(context, r.Model);
        Add(context, r.HasMaxTokens ? r.MaxTokens.ToString(CultureInfo.InvariantCulture) : "");
        Add(context, r.HasTemperature ? r.Temperature.ToString("R", CultureInfo.InvariantCulture) : "");
        Add(context, r.HasTopP ? r.TopP.ToString("R", CultureInfo.InvariantCulture) : "");
        Add(context, r.HasSeed ? r.Seed.ToString(CultureInfo.InvariantCulture) : "");
        Add(context, r.ResponseFormatJson);
        foreach (var stop in r.Stop)
        {
            Add(context, stop);
        }

        for (var i = 0; i < r.Messages.Count; i++)
        {
            if (i == last)
            {
                Add(context, "<question>");
                continue;
            }

            var m = r.Messages[i];
            Add(context, m.Role);
            Add(context, m.Name);
            Add(context, m.Content);
        }

        var contextHash = Convert.ToHexStringLower(context.GetHashAndReset());
        using var exact = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(exact, contextHash);
        Add(exact, last >= 0 ? r.Messages[last].Content : "");
        return new CacheKey(call.Caller.TenantId, dataClass, contextHash[..32], Convert.ToHexStringLower(exact.GetHashAndReset())[..32]);
    }

    private static int LastUserIndex(ChatCall call)
    {
        for (var i = call.Request.Messages.Count - 1; i >= 0; i--)
        {
            if (call.Request.Messages[i].Role == "user")
            {
                return i;
            }
        }

        return -1;
    }

    private static void Add(IncrementalHash hash, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var buffer = ArrayPool<byte>.Shared.Rent(length + 4);
        try
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer, length);
            Encoding.UTF8.GetBytes(value, 0, value.Length, buffer, 4);
            hash.AppendData(buffer, 0, length + 4);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
