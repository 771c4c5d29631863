using System.Xml.Linq;
using HybridAI.Testing;
using k8s.Models;

namespace HybridAI.Kubernetes.Tests;

public sealed class ImageTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task EveryDeploymentRunsTheImageItsProjectPublishes(string overlay)
    {
        var rendered = await Kustomize.RenderAsync(overlay, "", TestContext.Current.CancellationToken);
        var targets = XDocument.Load(Path.Combine(SharedDatasets.RepositoryRoot(), "services", "Directory.Build.targets"));
        var published = targets.Descendants("HybridAIServiceName").Select(e => e.Value).ToHashSet();

        foreach (var deployment in rendered.All<V1Deployment>())
        {
            var name = deployment.Metadata.Name;
            Assert.Contains(name, published);
            var image = deployment.Spec.Template.Spec.Containers[0].Image;
            Assert.StartsWith($"hybridai/{name}:", image, StringComparison.Ordinal);
            Assert.DoesNotContain(":latest", image, StringComparison.Ordinal);
        }
    }
}
