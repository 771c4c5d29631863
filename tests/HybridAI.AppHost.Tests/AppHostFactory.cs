using Aspire.Hosting.Testing;

namespace HybridAI.AppHost.Tests;

/// <summary>Builds the real AppHost (AppHost.cs) for tests, with explicit parameters so nothing is generated or persisted.</summary>
internal static class AppHostFactory
{
    public const string DevApiKey = "dev-key-for-apphost-tests-0123456789";
    public const string AdminApiKey = "admin-key-for-apphost-tests-0123456789";

    public static Task<IDistributedApplicationTestingBuilder> CreateAsync(string mode, params string[] extra)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "hybridai-apphost-tests", Guid.NewGuid().ToString("N"));
        string[] args =
        [
            $"--HybridAI:Infrastructure={mode}",
            "--HybridAI:EdgePort=auto",
            "--HybridAI:EdgeGrpcPort=auto",
            $"--HybridAI:DataPath={dataRoot}",
            $"--Parameters:dev-api-key={DevApiKey}",
            $"--Parameters:admin-api-key={AdminApiKey}",
            .. extra,
        ];
        return DistributedApplicationTestingBuilder.CreateAsync<Projects.HybridAI_AppHost>(
            args, (options, _) => options.DisableDashboard = true, TestContext.Current.CancellationToken);
    }
}
