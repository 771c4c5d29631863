using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace HybridAI.Kubernetes.Tests;

/// <summary>The AppHost's model in containers mode (the shape production has), built without starting anything.</summary>
internal static class AppModel
{
    public static async Task<AppModelFacts> LoadAsync(CancellationToken cancellationToken)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.HybridAI_AppHost>(
        [
            "--HybridAI:Infrastructure=containers",
            "--Parameters:dev-api-key=dev-key-for-k8s-tests-0123456789",
            "--Parameters:admin-api-key=admin-key-for-k8s-tests-0123456789",
            "--Parameters:qdrant-api-key=qdrant-key-for-k8s-tests-0123456789",
        ], (options, _) => options.DisableDashboard = true, cancellationToken);

        var projects = builder.Resources.OfType<ProjectResource>().ToDictionary(
            p => p.Name,
            p => p.Annotations.OfType<EndpointAnnotation>().Select(e => e.Name).Order().ToArray());
        var waits = builder.Resources.ToDictionary(
            r => r.Name,
            r => r.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name)
                // A service referenced without a WaitFor is still called (governance reads llm-proxy's catalogue when it is up).
                .Concat(r.Annotations.OfType<ResourceRelationshipAnnotation>().Where(a => a.Type == "Reference" && a.Resource is ProjectResource).Select(a => a.Resource.Name))
                .Where(n => !n.Contains("api-key", StringComparison.Ordinal)).Distinct().ToArray());
        return new AppModelFacts(projects, waits, builder.Resources.Select(r => r.Name).ToHashSet());
    }
}

/// <summary>Service names with their endpoint names, and who waits for whom.</summary>
internal sealed record AppModelFacts(
    Dictionary<string, string[]> Projects,
    Dictionary<string, string[]> WaitsFor,
    HashSet<string> Resources)
{
    /// <summary>The resources that call <paramref name="target"/> (those that wait for it or reference it).</summary>
    public string[] CallersOf(string target) =>
        WaitsFor.Where(kv => kv.Value.Contains(target)).Select(kv => kv.Key).Order().ToArray();
}
