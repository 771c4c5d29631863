using HybridAI.Governance.Ledger;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.OperatorConsole.Data;

/// <summary>
/// Re-verifies the whole ledger chain in the background every <c>Governance:Console:LedgerVerifySeconds</c>, so the
/// console and the <c>hybridai.governance.ledger.valid</c> gauge show a recent result without every page view
/// scanning the ledger.
/// </summary>
public sealed class LedgerMonitor(IAuditLedger ledger, IOptions<ConsoleOptions> options, TimeProvider clock, ILogger<LedgerMonitor> logger)
    : BackgroundService
{
    private LedgerStatus _status = new(false, false, 0, 0, "not verified yet", "", null);

    public LedgerStatus Status => Volatile.Read(ref _status);

    /// <summary>Verifies now and publishes the result.</summary>
    public async Task<LedgerStatus> VerifyAsync(CancellationToken cancellationToken)
    {
        var result = await ledger.VerifyAsync(cancellationToken);
        var status = new LedgerStatus(true, result.Valid, result.Records, result.FirstBrokenSequence, result.Message, result.HeadHash, clock.GetUtcNow());
        Volatile.Write(ref _status, status);
        if (!result.Valid)
        {
            logger.LogError("Ledger verification failed: {Message}", result.Message);
        }

        return status;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.LedgerVerifySeconds), clock);
        do
        {
            try
            {
                await VerifyAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The monitor must outlive a busy or briefly unreadable database; the next tick retries.
                logger.LogWarning(e, "Ledger verification could not run; retrying in {Seconds} s", options.Value.LedgerVerifySeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
