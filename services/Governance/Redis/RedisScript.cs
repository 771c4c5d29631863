using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace HybridAI.Governance.Redis;

/// <summary>
/// A Lua script run by its SHA-1 (<c>EVALSHA</c>), so each call sends 40 bytes instead of the script text and Redis
/// does not re-hash it; when the server does not know the script (first call, restart, failover) it is sent once
/// with <c>EVAL</c>, which also caches it there.
/// </summary>
public sealed class RedisScript(string source)
{
#pragma warning disable CA5350 // SHA-1 is how Redis names scripts; it identifies, it protects nothing.
    private readonly byte[] _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(source));
#pragma warning restore CA5350

    public string Source { get; } = source;

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await database.ScriptEvaluateAsync(_sha1, keys, values);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(Source, keys, values);
        }
    }
}
