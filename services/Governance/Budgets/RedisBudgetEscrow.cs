using System.Globalization;
using HybridAI.Governance.Redis;
using StackExchange.Redis;

namespace HybridAI.Governance.Budgets;

/// <summary>
/// The escrow in Redis, shared by every governance replica: each operation is one Lua script, so reserve's
/// check-and-add is atomic however many routers call at once (see <see cref="BudgetScripts"/>).
/// </summary>
public sealed class RedisBudgetEscrow(IConnectionMultiplexer redis, string keyPrefix = "hai:budget:") : IBudgetEscrow
{
    private static readonly TimeSpan DayKeyTtl = TimeSpan.FromDays(3);
    private static readonly TimeSpan MonthKeyTtl = TimeSpan.FromDays(62);

    public async Task<ReserveResult> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
    {
        var reply = await RunAsync(BudgetScripts.Reserve, command.TenantId, command.ReservationId, command.Now,
        [
            command.AmountMicros, (command.Now + command.Ttl).ToUnixTimeMilliseconds(),
            BudgetPeriods.LimitOf(command.Limits, BudgetPeriods.Day), BudgetPeriods.LimitOf(command.Limits, BudgetPeriods.Month),
            (long)DayKeyTtl.TotalSeconds, (long)MonthKeyTtl.TotalSeconds,
        ]);
        var budgets = Snapshot(reply, command.Limits);
        return (int)reply[0] switch
        {
            0 => new ReserveResult(ReserveStatus.Reserved, budgets),
            1 => new ReserveResult(ReserveStatus.AlreadyReserved, budgets),
            2 => new ReserveResult(ReserveStatus.AlreadyCompleted, budgets),
            _ => new ReserveResult(ReserveStatus.Exhausted, budgets, (int)reply[1] == 1 ? BudgetPeriods.Day : BudgetPeriods.Month),
        };
    }

    public async Task<SettleResult> SettleAsync(string tenantId, string reservationId, long actualMicros, IReadOnlyList<BudgetLimit> limits,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reply = await RunAsync(BudgetScripts.Settle, tenantId, reservationId, now,
            [actualMicros, (long)DayKeyTtl.TotalSeconds, (long)MonthKeyTtl.TotalSeconds]);
        return new SettleResult((int)reply[0] == 1, (int)reply[1] == 1, Snapshot(reply, limits));
    }

    public async Task<bool> ReleaseAsync(string tenantId, string reservationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reply = await RunAsync(BudgetScripts.Release, tenantId, reservationId, now, []);
        return (int)reply[0] == 1;
    }

    public async Task<IReadOnlyList<BudgetSnapshot>> GetStateAsync(string tenantId, IReadOnlyList<BudgetLimit> limits, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        Snapshot(await RunAsync(BudgetScripts.State, tenantId, "", now, []), limits);

    private async Task<RedisResult[]> RunAsync(RedisScript script, string tenantId, string reservationId, DateTimeOffset now, RedisValue[] extra)
    {
        var (day, previousDay, month, previousMonth) = BudgetPeriods.Buckets(now);
        var prefix = $"{keyPrefix}{{{tenantId}}}:";
        RedisKey[] keys =
        [
            prefix + "res", prefix + "exp", prefix + "done",
            prefix + day, prefix + previousDay, prefix + month, prefix + previousMonth,
        ];
        var values = new RedisValue[7 + extra.Length];
        values[0] = now.ToUnixTimeMilliseconds();
        values[1] = day;
        values[2] = previousDay;
        values[3] = month;
        values[4] = previousMonth;
        values[5] = (long)BudgetPeriods.CompletedRetention.TotalMilliseconds;
        values[6] = reservationId;
        extra.CopyTo(values, 7);
        var result = await script.EvaluateAsync(redis.GetDatabase(), keys, values);
        return (RedisResult[])result!;
    }

    private static IReadOnlyList<BudgetSnapshot> Snapshot(RedisResult[] reply, IReadOnlyList<BudgetLimit> limits) =>
    [
        new(BudgetPeriods.Day, BudgetPeriods.LimitOf(limits, BudgetPeriods.Day), Long(reply[2]), Long(reply[3])),
        new(BudgetPeriods.Month, BudgetPeriods.LimitOf(limits, BudgetPeriods.Month), Long(reply[4]), Long(reply[5])),
    ];

    private static long Long(RedisResult value) => long.Parse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
