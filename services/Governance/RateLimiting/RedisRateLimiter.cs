using System.Globalization;
using HybridAI.Governance.Redis;
using StackExchange.Redis;

namespace HybridAI.Governance.RateLimiting;

/// <summary>
/// GCRA in one Lua script over every bucket of a call, so replicas share the limits and a call is charged
/// all-or-nothing. Each bucket is one string key holding its arrival time, expiring when it would be full again.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, string keyPrefix = "hai:rate:") : IRateLimiter
{
    // ARGV: 1 now (ms), then per bucket: limit per minute, cost. Returns {allowed, retry after (ms), remaining...}.
    private static readonly RedisScript Script = new("""
        local now = tonumber(ARGV[1])
        local window = 60000
        local n = #KEYS
        local tats, allowed, retry, remaining = {}, 1, 0, {}
        for i = 1, n do
          local limit, cost = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
          local interval = window / limit
          local tat = tonumber(redis.call('GET', KEYS[i]) or now)
          if tat < now then tat = now end
          local new = tat + cost * interval
          local excess = new - now - window
          if excess > 0 then
            allowed = 0
            if excess > retry then retry = excess end
            tats[i] = tat
            remaining[i] = math.max(0, math.floor((window - (tat - now)) / interval))
          else
            tats[i] = new
            remaining[i] = math.floor((window - (new - now)) / interval)
          end
        end
        if allowed == 1 then
          for i = 1, n do
            redis.call('SET', KEYS[i], string.format('%.3f', tats[i]), 'PX', math.max(1, math.ceil(tats[i] - now)))
          end
        end
        local reply = {allowed, math.ceil(retry)}
        for i = 1, n do reply[i + 2] = remaining[i] end
        return reply
        """);

    public async Task<RateDecision> AcquireAsync(IReadOnlyList<RateBucket> buckets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[buckets.Count];
        var values = new RedisValue[1 + (2 * buckets.Count)];
        values[0] = now.ToUnixTimeMilliseconds();
        for (var i = 0; i < buckets.Count; i++)
        {
            keys[i] = keyPrefix + buckets[i].Key;
            values[1 + (2 * i)] = buckets[i].LimitPerMinute;
            values[2 + (2 * i)] = buckets[i].Cost;
        }

        var reply = (RedisResult[])(await Script.EvaluateAsync(redis.GetDatabase(), keys, values))!;
        var remaining = new int[buckets.Count];
        for (var i = 0; i < remaining.Length; i++)
        {
            remaining[i] = int.Parse(reply[i + 2].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture);
        }

        return RateDecisions.From(buckets, remaining, (int)reply[0] == 1, (long)reply[1]);
    }
}
