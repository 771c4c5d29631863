using HybridAI.Governance.RateLimiting;
using HybridAI.Testing.Redis;
using HybridAI.Testing.Time;
using StackExchange.Redis;

namespace HybridAI.Governance.Tests.RateLimiting;

/// <summary>The rate-limit contract; every implementation runs these same tests.</summary>
public abstract class RateLimiterConformanceTests
{
    protected ManualTimeProvider Clock { get; } = new();

    protected abstract IRateLimiter Limiter { get; }

    private Task<RateDecision> Acquire(params RateBucket[] buckets) =>
        Limiter.AcquireAsync(buckets, Clock.GetUtcNow(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task AdmitsABurstUpToTheLimitThenRefusesWithRetryAfter()
    {
        for (var i = 0; i < 10; i++)
        {
            var admitted = await Acquire(new RateBucket("{t}:r", RateDimension.Requests, 10, 1));
            Assert.True(admitted.Allowed, $"request {i + 1} of 10");
            Assert.Equal(9 - i, admitted.RemainingRequests);
        }

        var refused = await Acquire(new RateBucket("{t}:r", RateDimension.Requests, 10, 1));

        Assert.False(refused.Allowed);
        Assert.Equal(0, refused.RemainingRequests);
        Assert.InRange(refused.RetryAfter.TotalMilliseconds, 5_999, 6_001);
    }

    [Fact]
    public async Task RefillsOneUnitPerIntervalAfterTheBurst()
    {
        for (var i = 0; i < 60; i++)
        {
            await Acquire(new RateBucket("{t}:r", RateDimension.Requests, 60, 1));
        }

        Assert.False((await Acquire(new RateBucket("{t}:r", RateDimension.Requests, 60, 1))).Allowed);
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Acquire(new RateBucket("{t}:r", RateDimension.Requests, 60, 1))).Allowed);
        Assert.False((await Acquire(new RateBucket("{t}:r", RateDimension.Requests, 60, 1))).Allowed);
    }

    [Fact]
    public async Task ChargesEveryBucketOrNone()
    {
        var tokensRefused = await Acquire(
            new RateBucket("{t}:r", RateDimension.Requests, 100, 1),
            new RateBucket("{t}:t", RateDimension.Tokens, 1_000, 600),
            new RateBucket("{t}:k:t", RateDimension.Tokens, 500, 600));

        Assert.False(tokensRefused.Allowed);
        var request = await Acquire(new RateBucket("{t}:r", RateDimension.Requests, 100, 1));
        Assert.Equal(99, request.RemainingRequests);
    }

    [Fact]
    public async Task ReportsTheSmallestRemainderPerDimension()
    {
        var decision = await Acquire(
            new RateBucket("{t}:r", RateDimension.Requests, 100, 1),
            new RateBucket("{t}:k:r", RateDimension.Requests, 10, 1),
            new RateBucket("{t}:t", RateDimension.Tokens, 1_000, 100));

        Assert.Equal((9, 900), (decision.RemainingRequests, decision.RemainingTokens));
    }

    [Fact]
    public async Task BucketsOfDifferentKeysAreIndependent()
    {
        for (var i = 0; i < 3; i++)
        {
            await Acquire(new RateBucket("{a}:r", RateDimension.Requests, 3, 1));
        }

        Assert.False((await Acquire(new RateBucket("{a}:r", RateDimension.Requests, 3, 1))).Allowed);
        Assert.True((await Acquire(new RateBucket("{b}:r", RateDimension.Requests, 3, 1))).Allowed);
    }
}

public sealed class InProcessRateLimiterTests : RateLimiterConformanceTests
{
    protected override IRateLimiter Limiter { get; } = new InProcessRateLimiter();
}

public sealed class RedisRateLimiterTests(RedisServerFixture redis) : RateLimiterConformanceTests, IAsyncLifetime
{
    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";
    private ConnectionMultiplexer? _connection;
    private ConnectionMultiplexer? _otherReplica;

    protected override IRateLimiter Limiter => new RedisRateLimiter(_connection!, _prefix);

    public async ValueTask InitializeAsync()
    {
        _connection = await redis.Server.ConnectAsync();
        _otherReplica = await redis.Server.ConnectAsync();
    }

    [Fact]
    public async Task ReplicasShareOneLimitThroughRedis()
    {
        var one = new RedisRateLimiter(_connection!, _prefix);
        var two = new RedisRateLimiter(_otherReplica!, _prefix);
        var bucket = new RateBucket("{shared}:r", RateDimension.Requests, 4, 1);
        var ct = TestContext.Current.CancellationToken;

        var answers = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await one.AcquireAsync([bucket], Clock.GetUtcNow(), ct)).Allowed);
            answers.Add((await two.AcquireAsync([bucket], Clock.GetUtcNow(), ct)).Allowed);
        }

        Assert.Equal([true, true, true, true, false, false], answers);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in new[] { _connection, _otherReplica })
        {
            if (c is not null)
            {
                await c.DisposeAsync();
            }
        }
    }
}
