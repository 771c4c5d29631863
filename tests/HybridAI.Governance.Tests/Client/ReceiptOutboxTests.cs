using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Client;
using HybridAI.Governance.Client.Receipts;
using HybridAI.Governance.Tests.Api;
using HybridAI.Governance.Tests.Ledger;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Tests.Client;

/// <summary>A sink in front of the real governance service that can be switched off, as an outage would.</summary>
internal sealed class SwitchableSink(GovernanceService.GovernanceServiceClient governance) : IReceiptSink
{
    public volatile bool Down;

    public int Calls;

    public async Task<RecordReceiptsResponse> SendAsync(IReadOnlyList<RoutingReceipt> receipts, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        if (Down)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "governance is down (test)"));
        }

        var request = new RecordReceiptsRequest();
        request.Receipts.AddRange(receipts);
        return await governance.RecordReceiptsAsync(request, cancellationToken: cancellationToken);
    }
}

public sealed class ReceiptOutboxTests : IDisposable
{
    private readonly GovernanceHost _governance = new();
    private readonly string _outboxPath = Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N"), "outbox.db");
    private readonly IOptions<GovernanceClientOptions> _options = Options.Create(new GovernanceClientOptions
    {
        BatchSize = 7,
        InitialRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
    });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> LedgerCountAsync() =>
        (await _governance.AdminGrpc.VerifyLedgerAsync(new VerifyLedgerRequest(), GovernanceHost.AdminHeaders, cancellationToken: Ct)).Records;

    [Fact]
    public async Task ReceiptsBufferedWhileGovernanceIsDownAllArriveWhenItIsBack()
    {
        await _governance.CreateTenantAsync("acme");
        var sink = new SwitchableSink(_governance.Governance) { Down = true };
        await using var outbox = new ReceiptOutbox(_outboxPath, 10_000);
        using var sender = new ReceiptSender(outbox, sink, _options, NullLogger<ReceiptSender>.Instance);
        await sender.StartAsync(Ct);

        for (var i = 0; i < 50; i++)
        {
            await outbox.EnqueueAsync(TestReceipts.Make("acme", $"r{i}"), Ct);
        }

        await WaitUntilAsync(() => sink.Calls >= 3);
        Assert.Equal(50, outbox.Count);
        Assert.Equal(0, await LedgerCountAsync());

        sink.Down = false;
        await WaitUntilAsync(() => outbox.Count == 0);
        await sender.StopAsync(Ct);

        Assert.Equal(50, await LedgerCountAsync());
    }

    [Fact]
    public async Task ReceiptsBufferedBeforeACrashAreSentAfterTheRestart()
    {
        await _governance.CreateTenantAsync("acme");
        var sink = new SwitchableSink(_governance.Governance) { Down = true };
        var outbox = new ReceiptOutbox(_outboxPath, 10_000);
        await outbox.EnqueueAsync([.. Enumerable.Range(0, 20).Select(i => TestReceipts.Make("acme", $"r{i}"))], Ct);
        // The process "dies": nothing was sent and no shutdown logic runs beyond closing the file.
        await outbox.DisposeAsync();

        await using var restarted = new ReceiptOutbox(_outboxPath, 10_000);
        Assert.Equal(20, restarted.Count);
        sink.Down = false;
        using var sender = new ReceiptSender(restarted, sink, _options, NullLogger<ReceiptSender>.Instance);
        while (!await sender.SendBatchAsync(Ct))
        {
        }

        Assert.Equal((0L, 20L), (restarted.Count, await LedgerCountAsync()));
    }

    [Fact]
    public async Task AResentBatchIsNotRecordedTwiceAndRejectedReceiptsGoToTheDeadLetterTable()
    {
        await _governance.CreateTenantAsync("acme");
        var sink = new SwitchableSink(_governance.Governance);
        await using var outbox = new ReceiptOutbox(_outboxPath, 10_000);
        using var sender = new ReceiptSender(outbox, sink, _options, NullLogger<ReceiptSender>.Instance);

        await outbox.EnqueueAsync([TestReceipts.Make("acme", "a"), TestReceipts.Make("ghost", "b")], Ct);
        await sender.SendBatchAsync(Ct);
        await outbox.EnqueueAsync(TestReceipts.Make("acme", "a"), Ct);
        await sender.SendBatchAsync(Ct);

        Assert.Equal((0L, 1L), (outbox.Count, await LedgerCountAsync()));
        var dead = Assert.Single(await outbox.DeadLettersAsync(Ct));
        Assert.Equal("b", dead.RequestId);
        Assert.Contains("ghost", dead.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullOutboxRefusesInsteadOfDropping()
    {
        await using var outbox = new ReceiptOutbox(_outboxPath, 3);
        await outbox.EnqueueAsync([TestReceipts.Make("acme", "a"), TestReceipts.Make("acme", "b"), TestReceipts.Make("acme", "c")], Ct);

        await Assert.ThrowsAsync<ReceiptOutboxFullException>(() => outbox.EnqueueAsync(TestReceipts.Make("acme", "d"), Ct));
        Assert.Equal(3, outbox.Count);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true within 10 s");
            await Task.Delay(20, Ct);
        }
    }

    public void Dispose()
    {
        _governance.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_outboxPath)!, recursive: true);
    }
}
