using HybridAI.Governance.Policies;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Calibration;

/// <summary>
/// Computes calibration proposals for every tenant whose policy enables calibration, every
/// <c>Governance:Calibration:IntervalMinutes</c> (off with <c>Governance:Calibration:Enabled=false</c>).
/// </summary>
public sealed class CalibrationJob(
    CalibrationService calibration, IPolicyStore policyStore, IOptions<CalibrationOptions> options, TimeProvider clock, ILogger<CalibrationJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Scheduled threshold calibration is off (Governance:Calibration:Enabled=false).");
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.IntervalMinutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed pass (database busy, a source down) must not stop governance; the next tick tries again.
                logger.LogError(e, "Scheduled threshold calibration failed; retrying in {Minutes} minutes.", options.Value.IntervalMinutes);
            }
        }
    }

    /// <summary>One pass over the tenants that have a policy (a tenant must have one to enable calibration).</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var tenants = await policyStore.GetVersionsAsync(cancellationToken);
        await calibration.RunScheduledAsync(tenants.Keys.Order(StringComparer.Ordinal), cancellationToken);
    }
}
