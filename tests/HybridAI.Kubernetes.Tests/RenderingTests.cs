using k8s.Models;

namespace HybridAI.Kubernetes.Tests;

public sealed class RenderingTests
{
    public static TheoryData<string, string> Combinations => Kustomize.Combinations();

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task EveryOverlayAndComponentCombinationRendersIntoTypedObjects(string overlay, string components)
    {
        var rendered = await Kustomize.RenderAsync(overlay, components, TestContext.Current.CancellationToken);

        Assert.NotEmpty(rendered.Objects);
        Assert.Equal(6, rendered.All<V1Deployment>().Count());
        Assert.Equal(["qdrant", "redis"], rendered.All<V1StatefulSet>().Select(s => s.Metadata.Name).Order());
        Assert.Equal(components.Contains("network-policies", StringComparison.Ordinal), rendered.All<V1NetworkPolicy>().Any());
        var ns = Assert.Single(rendered.All<V1Namespace>()).Metadata.Name;
        Assert.All(rendered.Objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace),
            o => Assert.Equal(ns, o.Metadata.NamespaceProperty));
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task StatelessServicesAutoscaleAndHaveDisruptionBudgetsWhileGovernanceStaysSingle(string overlay, string components)
    {
        var rendered = await Kustomize.RenderAsync(overlay, components, TestContext.Current.CancellationToken);
        string[] stateless = ["edge", "llm-proxy", "retrieval", "router", "slm-inference"];

        Assert.Equal(stateless, rendered.All<V2HorizontalPodAutoscaler>().Select(h => h.Spec.ScaleTargetRef.Name).Order());
        Assert.Equal(stateless, rendered.All<V1PodDisruptionBudget>().Select(p => p.Metadata.Name).Order());
        foreach (var hpa in rendered.All<V2HorizontalPodAutoscaler>())
        {
            var deployment = rendered.Named<V1Deployment>(hpa.Spec.ScaleTargetRef.Name);
            Assert.True(hpa.Spec.MinReplicas >= 1 && hpa.Spec.MaxReplicas > hpa.Spec.MinReplicas);
            Assert.InRange(deployment.Spec.Replicas ?? 1, hpa.Spec.MinReplicas ?? 1, hpa.Spec.MaxReplicas);
        }

        var governance = rendered.Named<V1Deployment>("governance");
        Assert.Equal(1, governance.Spec.Replicas);
        Assert.Equal("Recreate", governance.Spec.Strategy.Type);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task OnlyTheEdgeIsExposedThroughATlsIngress(string overlay)
    {
        var rendered = await Kustomize.RenderAsync(overlay, "", TestContext.Current.CancellationToken);

        var ingresses = rendered.All<V1Ingress>().ToList();
        Assert.NotEmpty(ingresses);
        foreach (var ingress in ingresses)
        {
            Assert.NotEmpty(ingress.Spec.Tls);
            var hosts = ingress.Spec.Tls.SelectMany(t => t.Hosts).ToHashSet();
            Assert.All(ingress.Spec.Rules, r => Assert.Contains(r.Host, hosts));
            Assert.All(ingress.Spec.Rules.SelectMany(r => r.Http.Paths), p => Assert.Equal("edge", p.Backend.Service.Name));
        }

        var grpc = Assert.Single(ingresses, i => i.Metadata.Annotations?.ContainsKey("nginx.ingress.kubernetes.io/backend-protocol") == true);
        Assert.All(grpc.Spec.Rules.SelectMany(r => r.Http.Paths), p => Assert.Equal("grpc", p.Backend.Service.Port.Name));
        Assert.All(rendered.All<V1Service>(), s => Assert.True(s.Spec.Type is null or "ClusterIP"));
    }
}
