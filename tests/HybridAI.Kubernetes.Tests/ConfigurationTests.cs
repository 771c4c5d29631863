using System.Reflection;
using HybridAI.Edge;
using HybridAI.Governance;
using HybridAI.LlmProxy;
using HybridAI.Retrieval;
using HybridAI.Router;
using HybridAI.SlmInference;
using k8s.Models;

namespace HybridAI.Kubernetes.Tests;

public sealed class ConfigurationTests
{
    private static readonly Dictionary<string, Assembly> Services = new()
    {
        ["edge"] = typeof(EdgeOptions).Assembly,
        ["router"] = typeof(RouterOptions).Assembly,
        ["slm-inference"] = typeof(InferenceOptions).Assembly,
        ["llm-proxy"] = typeof(LlmProxyOptions).Assembly,
        ["retrieval"] = typeof(RetrievalOptions).Assembly,
        ["governance"] = typeof(GovernanceOptions).Assembly,
    };

    public static TheoryData<string, string> Combinations => Kustomize.Combinations();

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task EveryServiceStartsWithTheConfigurationTheClusterGivesIt(string overlay, string components)
    {
        var rendered = await Kustomize.RenderAsync(overlay, components, TestContext.Current.CancellationToken);

        foreach (var (name, assembly) in Services)
        {
            var container = Assert.Single(rendered.Named<V1Deployment>(name).Spec.Template.Spec.Containers);
            var env = ClusterConfiguration.EnvironmentOf(rendered, container);

            Assert.Empty(ClusterConfiguration.ValidateServiceOptions(assembly, env));
            var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(ports["http"], env["HybridAI__HttpPort"]);
            Assert.Equal(ports["grpc"], env["HybridAI__GrpcPort"]);
            Assert.Equal("any", env["HybridAI__BindAddress"]);
            Assert.StartsWith("http://", env["OTEL_EXPORTER_OTLP_ENDPOINT"], StringComparison.Ordinal);
            Assert.Equal(name, env["OTEL_SERVICE_NAME"]);
        }
    }

    [Fact]
    public async Task MissingRequiredSettingsWouldBeCaughtByThisCheck()
    {
        var rendered = await Kustomize.RenderAsync("prod", "", TestContext.Current.CancellationToken);
        var container = rendered.Named<V1Deployment>("governance").Spec.Template.Spec.Containers[0];
        var env = ClusterConfiguration.EnvironmentOf(rendered, container);
        env.Remove("Governance__AdminApiKey");

        var failure = Assert.Single(ClusterConfiguration.ValidateServiceOptions(Services["governance"], env));
        Assert.Contains("Governance:AdminApiKey", failure, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task EverySecretReferencedExistsInTheTemplateAndNoSecretIsCommitted(string overlay, string components)
    {
        var rendered = await Kustomize.RenderAsync(overlay, components, TestContext.Current.CancellationToken);
        var template = ClusterConfiguration.SecretTemplate;

        Assert.Empty(rendered.All<V1Secret>());
        Assert.All(template.StringData.Values, Assert.Empty);
        var pods = rendered.All<V1Deployment>().Select(d => d.Spec.Template.Spec)
            .Concat(rendered.All<V1StatefulSet>().Select(s => s.Spec.Template.Spec));
        var references = pods.SelectMany(p => p.Containers).SelectMany(c => c.Env ?? [])
            .Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>().ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r =>
        {
            Assert.Equal(template.Metadata.Name, r.Name);
            Assert.Contains(r.Key, template.StringData.Keys);
        });
        Assert.All(rendered.All<V1ConfigMap>().SelectMany(c => c.Data.Values),
            v => Assert.DoesNotContain("password=", v, StringComparison.OrdinalIgnoreCase));
    }
}
