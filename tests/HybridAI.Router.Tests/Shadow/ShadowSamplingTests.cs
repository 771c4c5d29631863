using HybridAI.Router.Shadow;
using HybridAI.Testing.Time;

namespace HybridAI.Router.Tests.Shadow;

public sealed class ShadowSamplingTests
{
    [Theory]
    [InlineData(0.02)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void SamplesTheConfiguredShareOfRequestIds(double rate)
    {
        const int Requests = 20_000;
        var sampled = Enumerable.Range(0, Requests).Count(i => ShadowSampling.Selects($"req-{i:x8}", rate));

        // Binomial: four standard deviations either side.
        var margin = 4 * Math.Sqrt(Requests * rate * (1 - rate));
        Assert.InRange(sampled, (Requests * rate) - margin, (Requests * rate) + margin);
    }

    [Fact]
    public void ZeroSamplesNothingAndOneSamplesEverything()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => Guid.NewGuid().ToString("N")).ToList();

        Assert.DoesNotContain(ids, id => ShadowSampling.Selects(id, 0));
        Assert.All(ids, id => Assert.True(ShadowSampling.Selects(id, 1)));
    }

    [Fact]
    public void BudgetRefusesAReservationThatWouldExceedTheLimitAndSettlesToActualCost()
    {
        var budget = new ShadowBudget(new ManualTimeProvider(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero)));

        Assert.True(budget.TryReserve("t", 600, limit: 1000, out var day));
        Assert.False(budget.TryReserve("t", 600, limit: 1000, out _)); // 600 reserved + 600 > 1000
        budget.Settle("t", day, reserved: 600, actual: 100);
        Assert.True(budget.TryReserve("t", 600, limit: 1000, out _));
        Assert.Equal(100, budget.SpentToday("t"));
        Assert.True(budget.TryReserve("other", 1000, limit: 1000, out _));
    }

    [Fact]
    public void BudgetStartsAfreshEachUtcDay()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero));
        var budget = new ShadowBudget(clock);
        Assert.True(budget.TryReserve("t", 900, limit: 1000, out var day));
        budget.Settle("t", day, 900, 900);
        Assert.False(budget.TryReserve("t", 200, limit: 1000, out _));

        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.True(budget.TryReserve("t", 200, limit: 1000, out _));
        Assert.Equal(0, budget.SpentToday("t"));
    }
}
