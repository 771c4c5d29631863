using HybridAI.Governance.Redis;

namespace HybridAI.Governance.Budgets;

/// <summary>
/// The escrow's Lua scripts. Every script first reclaims expired reservations, so a router that died frees its
/// reservations at the tenant's next call, atomically with it. Keys (one hash slot per tenant through the
/// <c>{tenant}</c> hash tag, so this works on Redis Cluster): 1 reservations (hash id → amount|day|month),
/// 2 expiries (zset), 3 completed ids (zset, by time), 4 day, 5 previous day, 6 month, 7 previous month (hashes
/// with spent and reserved). ARGV: 1 now (ms), 2-5 the bucket names of keys 4-7, 6 completed retention (ms),
/// 7 reservation id, then per script.
/// </summary>
internal static class BudgetScripts
{
    private const string Prelude = """
        local now = tonumber(ARGV[1])
        local names = {ARGV[2], ARGV[3], ARGV[4], ARGV[5]}
        local function keyof(name)
          for i = 1, 4 do if names[i] == name then return KEYS[3 + i] end end
          return nil
        end
        local function unreserve(value)
          local amount, d, m = string.match(value, '^(%d+)|([^|]+)|([^|]+)$')
          local dk, mk = keyof(d), keyof(m)
          if dk then redis.call('HINCRBY', dk, 'reserved', '-' .. amount) end
          if mk then redis.call('HINCRBY', mk, 'reserved', '-' .. amount) end
          return dk, mk
        end
        local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 512)
        for _, rid in ipairs(expired) do
          local v = redis.call('HGET', KEYS[1], rid)
          if v then unreserve(v); redis.call('HDEL', KEYS[1], rid) end
          redis.call('ZREM', KEYS[2], rid)
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[6]))
        local function state()
          local d = redis.call('HMGET', KEYS[4], 'spent', 'reserved')
          local m = redis.call('HMGET', KEYS[6], 'spent', 'reserved')
          return tonumber(d[1] or 0), tonumber(d[2] or 0), tonumber(m[1] or 0), tonumber(m[2] or 0)
        end
        local function touch()
          redis.call('PEXPIRE', KEYS[1], 172800000)
          redis.call('PEXPIRE', KEYS[2], 172800000)
          redis.call('PEXPIRE', KEYS[3], 172800000)
        end
        local id = ARGV[7]

        """;

    /// <summary>ARGV 8 amount, 9 expiry (ms), 10 day limit, 11 month limit (0: none), 12 day key TTL (s), 13 month key TTL (s).
    /// Returns {status (0 reserved, 1 already reserved, 2 already completed, 3 exhausted), exhausted period (1 day, 2 month), ds, dr, ms, mr}.</summary>
    public static readonly RedisScript Reserve = new(Prelude + """
        local ds, dr, ms, mr = state()
        if redis.call('HEXISTS', KEYS[1], id) == 1 then return {1, 0, ds, dr, ms, mr} end
        if redis.call('ZSCORE', KEYS[3], id) then return {2, 0, ds, dr, ms, mr} end
        local amount = tonumber(ARGV[8])
        local dl, ml = tonumber(ARGV[10]), tonumber(ARGV[11])
        if dl > 0 and ds + dr + amount > dl then return {3, 1, ds, dr, ms, mr} end
        if ml > 0 and ms + mr + amount > ml then return {3, 2, ds, dr, ms, mr} end
        redis.call('HINCRBY', KEYS[4], 'reserved', ARGV[8])
        redis.call('HINCRBY', KEYS[6], 'reserved', ARGV[8])
        redis.call('EXPIRE', KEYS[4], ARGV[12])
        redis.call('EXPIRE', KEYS[6], ARGV[13])
        redis.call('HSET', KEYS[1], id, ARGV[8] .. '|' .. names[1] .. '|' .. names[3])
        redis.call('ZADD', KEYS[2], ARGV[9], id)
        touch()
        return {0, 0, ds, dr + amount, ms, mr + amount}
        """);

    /// <summary>ARGV 8 actual, 9 day key TTL (s), 10 month key TTL (s). Returns {found, already settled, ds, dr, ms, mr}.</summary>
    public static readonly RedisScript Settle = new(Prelude + """
        if redis.call('ZSCORE', KEYS[3], id) then
          local ds, dr, ms, mr = state()
          return {0, 1, ds, dr, ms, mr}
        end
        local dk, mk, found = KEYS[4], KEYS[6], 0
        local v = redis.call('HGET', KEYS[1], id)
        if v then
          local d, m = unreserve(v)
          dk, mk, found = d or KEYS[4], m or KEYS[6], 1
          redis.call('HDEL', KEYS[1], id)
          redis.call('ZREM', KEYS[2], id)
        end
        redis.call('HINCRBY', dk, 'spent', ARGV[8])
        redis.call('HINCRBY', mk, 'spent', ARGV[8])
        redis.call('EXPIRE', dk, ARGV[9])
        redis.call('EXPIRE', mk, ARGV[10])
        redis.call('ZADD', KEYS[3], now, id)
        touch()
        local ds, dr, ms, mr = state()
        return {found, 0, ds, dr, ms, mr}
        """);

    /// <summary>Returns {released, 0, ds, dr, ms, mr}.</summary>
    public static readonly RedisScript Release = new(Prelude + """
        local v = redis.call('HGET', KEYS[1], id)
        local released = 0
        if v then
          unreserve(v)
          redis.call('HDEL', KEYS[1], id)
          redis.call('ZREM', KEYS[2], id)
          redis.call('ZADD', KEYS[3], now, id)
          touch()
          released = 1
        end
        local ds, dr, ms, mr = state()
        return {released, 0, ds, dr, ms, mr}
        """);

    /// <summary>Returns {0, 0, ds, dr, ms, mr}.</summary>
    public static readonly RedisScript State = new(Prelude + """
        local ds, dr, ms, mr = state()
        return {0, 0, ds, dr, ms, mr}
        """);
}
