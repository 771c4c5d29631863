using HybridAI.Governance.OperatorConsole.Data;
using HybridAI.Governance.OperatorConsole.Quality;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.OperatorConsole.Metrics;

/// <summary>Keeps <see cref="ConsoleMetrics"/> current: catches the ledger totals up and recomputes the window every refresh period.</summary>
public sealed class ConsoleMetricsRefresher(
    ConsoleMetrics metrics, QualityMetrics qualityMetrics, LedgerTotals totals, ConsoleService console, QualityConsoleService quality,
    IOptions<ConsoleOptions> options, TimeProvider clock,
    ILogger<ConsoleMetricsRefresher> logger) : BackgroundService
{
    /// <summary>One refresh: new receipts into the counters and histogram, then the window gauges (quality's too).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await totals.CatchUpAsync(metrics.RecordLatency, cancellationToken);
        var to = clock.GetUtcNow();
        var window = TimeSpan.FromHours(options.Value.MetricsWindowHours);
        // One bucket spanning the whole window: the gauges need the window's sums, not a series.
        var query = new ConsoleQuery(to - window, to, window, "");
        var overview = await console.OverviewAsync(query, cancellationToken);
        metrics.Publish(new ConsoleMetrics.Window(overview, overview.Budgets));
        qualityMetrics.Publish(await quality.OverviewAsync(query, cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.MetricsRefreshSeconds), clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Metrics must not take governance down; the next tick retries and the gauges keep their last values.
                logger.LogWarning(e, "Console metrics could not be refreshed; retrying in {Seconds} s", options.Value.MetricsRefreshSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
