using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Tenants;

/// <summary>
/// In local mode the AppHost passes its <c>dev-api-key</c> parameter as <c>Governance:DevApiKey</c>; this registers
/// tenant <c>dev</c> with that key at start (idempotently). In production the setting is empty and nothing is seeded.
/// </summary>
public sealed class DevTenantSeeder(TenantService tenants, IOptions<GovernanceOptions> options, IHostEnvironment environment,
    ILogger<DevTenantSeeder> logger) : IHostedService
{
    public const string TenantId = "dev";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var key = options.Value.DevApiKey;
        if (key.Length == 0)
        {
            return;
        }

        if (environment.IsProduction())
        {
            logger.LogWarning("Governance:DevApiKey is set in the Production environment: tenant 'dev' is seeded. Leave it empty in production.");
        }

        try
        {
            await tenants.CreateTenantAsync(new CreateTenantRequest { Id = TenantId, Name = "Development" }, cancellationToken);
        }
        catch (AlreadyExistsException)
        {
            // Seeded on an earlier start.
        }

        var keyId = await tenants.ImportKeyAsync(TenantId, "dev-api-key", key, cancellationToken);
        logger.LogInformation("Tenant '{Tenant}' accepts the dev-api-key (key id {KeyId}).", TenantId, keyId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
