using HybridAI.Governance.Budgets;
using HybridAI.Testing.Time;

namespace HybridAI.Governance.Tests.Budgets;

/// <summary>The escrow contract; every implementation runs these same tests.</summary>
public abstract class BudgetEscrowConformanceTests
{
    private static readonly BudgetLimit[] Limits = [new("day", 1_000), new("month", 5_000)];

    protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero));

    protected abstract IBudgetEscrow Escrow { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ReserveResult> Reserve(string id, long amount, string tenant = "acme", int ttlSeconds = 60, BudgetLimit[]? limits = null) =>
        Escrow.ReserveAsync(new ReserveCommand(tenant, id, amount, TimeSpan.FromSeconds(ttlSeconds), limits ?? Limits, Clock.GetUtcNow()), Ct);

    [Fact]
    public async Task ReservesWithinTheBudgetAndReportsSpentAndReserved()
    {
        var result = await Reserve("r1", 300);

        Assert.Equal(ReserveStatus.Reserved, result.Status);
        var day = result.Budgets.Single(b => b.Period == "day");
        Assert.Equal((1_000L, 0L, 300L), (day.LimitMicros, day.SpentMicros, day.ReservedMicros));
        Assert.Equal(300, result.Budgets.Single(b => b.Period == "month").ReservedMicros);
    }

    [Fact]
    public async Task RefusesAReservationThatWouldExceedTheDailyBudgetAndNamesThePeriod()
    {
        await Reserve("r1", 800);
        var refused = await Reserve("r2", 201);

        Assert.Equal(ReserveStatus.Exhausted, refused.Status);
        Assert.Equal("day", refused.ExhaustedPeriod);
        Assert.Equal(800, refused.Budgets.Single(b => b.Period == "day").ReservedMicros);
        Assert.Equal(ReserveStatus.Reserved, (await Reserve("r3", 200)).Status);
    }

    [Fact]
    public async Task RefusesWhenTheMonthlyBudgetWouldBeExceeded()
    {
        BudgetLimit[] monthOnly = [new("month", 500)];
        await Reserve("r1", 400, limits: monthOnly);

        var refused = await Reserve("r2", 101, limits: monthOnly);

        Assert.Equal(("month", ReserveStatus.Exhausted), (refused.ExhaustedPeriod, refused.Status));
    }

    [Fact]
    public async Task SettleChargesTheActualCostAndFreesTheRestOfTheReservation()
    {
        await Reserve("r1", 600);
        var settled = await Escrow.SettleAsync("acme", "r1", 250, Limits, Clock.GetUtcNow(), Ct);

        Assert.True(settled.ReservationFound);
        var day = settled.Budgets.Single(b => b.Period == "day");
        Assert.Equal((250L, 0L), (day.SpentMicros, day.ReservedMicros));
        Assert.Equal(ReserveStatus.Reserved, (await Reserve("r2", 750)).Status);
        Assert.Equal(ReserveStatus.Exhausted, (await Reserve("r3", 1)).Status);
    }

    [Fact]
    public async Task ReleaseFreesTheWholeReservation()
    {
        await Reserve("r1", 900);

        Assert.True(await Escrow.ReleaseAsync("acme", "r1", Clock.GetUtcNow(), Ct));
        Assert.False(await Escrow.ReleaseAsync("acme", "r1", Clock.GetUtcNow(), Ct));
        var state = await Escrow.GetStateAsync("acme", Limits, Clock.GetUtcNow(), Ct);
        Assert.All(state, b => Assert.Equal((0L, 0L), (b.SpentMicros, b.ReservedMicros)));
    }

    [Fact]
    public async Task AReservationExpiresByItselfWhenItsRouterNeverComesBack()
    {
        await Reserve("r1", 1_000, ttlSeconds: 30);
        Assert.Equal(ReserveStatus.Exhausted, (await Reserve("r2", 1)).Status);

        Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(ReserveStatus.Reserved, (await Reserve("r3", 1_000)).Status);
        var day = (await Escrow.GetStateAsync("acme", Limits, Clock.GetUtcNow(), Ct)).Single(b => b.Period == "day");
        Assert.Equal(1_000, day.ReservedMicros);
    }

    [Fact]
    public async Task ARetriedReserveWithTheSameIdReservesOnce()
    {
        await Reserve("r1", 400);
        var again = await Reserve("r1", 400);

        Assert.Equal(ReserveStatus.AlreadyReserved, again.Status);
        Assert.Equal(400, again.Budgets.Single(b => b.Period == "day").ReservedMicros);
    }

    [Fact]
    public async Task ARetriedSettleIsNotChargedTwice()
    {
        await Reserve("r1", 400);
        await Escrow.SettleAsync("acme", "r1", 300, Limits, Clock.GetUtcNow(), Ct);
        var again = await Escrow.SettleAsync("acme", "r1", 300, Limits, Clock.GetUtcNow(), Ct);

        Assert.True(again.AlreadySettled);
        Assert.Equal(300, again.Budgets.Single(b => b.Period == "day").SpentMicros);
        Assert.Equal(ReserveStatus.AlreadyCompleted, (await Reserve("r1", 10)).Status);
    }

    [Fact]
    public async Task ASettleAfterTheReservationExpiredStillChargesTheActualCost()
    {
        await Reserve("r1", 400, ttlSeconds: 5);
        Clock.Advance(TimeSpan.FromSeconds(10));

        var settled = await Escrow.SettleAsync("acme", "r1", 350, Limits, Clock.GetUtcNow(), Ct);

        Assert.False(settled.ReservationFound);
        Assert.Equal((350L, 0L), settled.Budgets.Where(b => b.Period == "day").Select(b => (b.SpentMicros, b.ReservedMicros)).Single());
    }

    [Fact]
    public async Task ANewDayStartsAFreshDailyBudgetWhileTheMonthKeepsCounting()
    {
        await Reserve("r1", 900);
        await Escrow.SettleAsync("acme", "r1", 900, Limits, Clock.GetUtcNow(), Ct);
        Assert.Equal(ReserveStatus.Exhausted, (await Reserve("r2", 200)).Status);

        Clock.Advance(TimeSpan.FromDays(1));
        var next = await Reserve("r3", 200);

        Assert.Equal(ReserveStatus.Reserved, next.Status);
        Assert.Equal((0L, 200L), next.Budgets.Where(b => b.Period == "day").Select(b => (b.SpentMicros, b.ReservedMicros)).Single());
        Assert.Equal(900, next.Budgets.Single(b => b.Period == "month").SpentMicros);
    }

    [Fact]
    public async Task TenantsHaveSeparateBudgets()
    {
        await Reserve("r1", 1_000, tenant: "acme");

        Assert.Equal(ReserveStatus.Reserved, (await Reserve("r1", 1_000, tenant: "globex")).Status);
    }

    [Fact]
    public async Task WithoutLimitsEverythingIsReservedAndCounted()
    {
        var result = await Reserve("r1", 1_000_000_000, limits: []);

        Assert.Equal(ReserveStatus.Reserved, result.Status);
        Assert.All(result.Budgets, b => Assert.Equal((0L, 1_000_000_000L), (b.LimitMicros, b.ReservedMicros)));
    }

    /// <summary>
    /// The escrow invariant as a property: thousands of concurrent reservations of random sizes against a small
    /// budget, interleaved with settles (at or below the reservation) and releases. Every state any call observes,
    /// and the final one, keeps spent + reserved within the limit, and the money admitted never exceeds it.
    /// </summary>
    [Fact]
    public async Task ThousandsOfConcurrentReservationsNeverExceedTheBudget()
    {
        const long Limit = 50_000;
        BudgetLimit[] limits = [new("day", Limit)];
        var seed = Environment.TickCount;
        var admitted = 0L;
        var settledTotal = 0L;
        var violations = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForAsync(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = Ct }, async (i, ct) =>
        {
            var random = new Random(seed + i);
            var amount = random.Next(1, 2_000);
            var id = $"req-{i}";
            var result = await Escrow.ReserveAsync(new ReserveCommand("prop", id, amount, TimeSpan.FromMinutes(5), limits, Clock.GetUtcNow()), ct);
            Check(result.Budgets);
            if (result.Status != ReserveStatus.Reserved)
            {
                return;
            }

            Interlocked.Add(ref admitted, amount);
            if (random.Next(3) == 0)
            {
                await Escrow.ReleaseAsync("prop", id, Clock.GetUtcNow(), ct);
                Interlocked.Add(ref admitted, -amount);
            }
            else
            {
                var actual = random.Next(0, amount + 1);
                var settled = await Escrow.SettleAsync("prop", id, actual, limits, Clock.GetUtcNow(), ct);
                Interlocked.Add(ref settledTotal, actual);
                Interlocked.Add(ref admitted, actual - amount);
                Check(settled.Budgets);
            }
        });

        var final = (await Escrow.GetStateAsync("prop", limits, Clock.GetUtcNow(), Ct)).Single(b => b.Period == "day");
        Assert.True(violations.IsEmpty, $"seed {seed}: {string.Join("; ", violations.Take(5))}");
        Assert.Equal((settledTotal, 0L), (final.SpentMicros, final.ReservedMicros));
        Assert.True(admitted <= Limit, $"seed {seed}: {admitted} micros admitted against a limit of {Limit}.");
        Assert.True(final.SpentMicros > Limit / 4, $"seed {seed}: the test barely used the budget ({final.SpentMicros}); it would prove nothing.");

        void Check(IReadOnlyList<BudgetSnapshot> budgets)
        {
            var day = budgets.Single(b => b.Period == "day");
            if (day.SpentMicros + day.ReservedMicros > Limit)
            {
                violations.Add($"spent {day.SpentMicros} + reserved {day.ReservedMicros} > {Limit}");
            }
        }
    }
}

public sealed class InProcessBudgetEscrowTests : BudgetEscrowConformanceTests
{
    protected override IBudgetEscrow Escrow { get; } = new InProcessBudgetEscrow();
}

public sealed class RedisBudgetEscrowTests(HybridAI.Testing.Redis.RedisServerFixture redis) : BudgetEscrowConformanceTests, IAsyncLifetime
{
    private StackExchange.Redis.ConnectionMultiplexer? _connection;
    private IBudgetEscrow? _escrow;

    protected override IBudgetEscrow Escrow => _escrow ?? throw new InvalidOperationException("not initialised");

    public async ValueTask InitializeAsync()
    {
        _connection = await redis.Server.ConnectAsync();
        _escrow = new RedisBudgetEscrow(_connection, $"test:{Guid.NewGuid():N}:");
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
