using k8s.Models;

namespace HybridAI.Kubernetes.Tests;

/// <summary>The cluster uses the AppHost's names, ports and call graph, so discovery and configuration work unchanged.</summary>
public sealed class AppModelParityTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task EveryAppHostServiceHasADeploymentAndServiceWithTheSameNameAndPortNames(string overlay)
    {
        var ct = TestContext.Current.CancellationToken;
        var model = await AppModel.LoadAsync(ct);
        var rendered = await Kustomize.RenderAsync(overlay, "", ct);

        Assert.Equal(model.Projects.Keys.Order(), rendered.All<V1Deployment>().Select(d => d.Metadata.Name).Order());
        foreach (var (name, endpoints) in model.Projects)
        {
            var service = rendered.Named<V1Service>(name);
            Assert.Equal(endpoints, service.Spec.Ports.Select(p => p.Name).Order());

            var container = Assert.Single(rendered.Named<V1Deployment>(name).Spec.Template.Spec.Containers);
            var containerPorts = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
            Assert.Equal(endpoints, containerPorts.Keys.Order());
            Assert.All(service.Spec.Ports, p => Assert.Equal(p.Name, p.TargetPort.Value));
            Assert.Equal(service.Spec.Selector, rendered.Named<V1Deployment>(name).Spec.Template.Metadata.Labels
                .Where(l => service.Spec.Selector.ContainsKey(l.Key)).ToDictionary());
        }

        // Infrastructure the AppHost models as containers exists under the same names.
        foreach (var infrastructure in new[] { "redis", "qdrant" })
        {
            Assert.Contains(infrastructure, model.Resources);
            Assert.NotNull(rendered.Named<V1Service>(infrastructure));
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task ServiceDiscoveryEntriesPointAtTheSameNamedPortsTheAppHostReferences(string overlay)
    {
        var ct = TestContext.Current.CancellationToken;
        var model = await AppModel.LoadAsync(ct);
        var rendered = await Kustomize.RenderAsync(overlay, "", ct);

        foreach (var (name, dependencies) in model.WaitsFor.Where(kv => model.Projects.ContainsKey(kv.Key)))
        {
            var container = rendered.Named<V1Deployment>(name).Spec.Template.Spec.Containers[0];
            var env = ClusterConfiguration.EnvironmentOf(rendered, container);
            foreach (var dependency in dependencies.Where(model.Projects.ContainsKey))
            {
                var service = rendered.Named<V1Service>(dependency);
                foreach (var port in service.Spec.Ports)
                {
                    Assert.Equal($"http://{dependency}:{port.Port}", env[$"services__{dependency}__{port.Name}__0"]);
                }
            }
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task NetworkPoliciesAdmitExactlyTheCallersTheAppHostWires(string overlay)
    {
        var ct = TestContext.Current.CancellationToken;
        var model = await AppModel.LoadAsync(ct);
        var rendered = await Kustomize.RenderAsync(overlay, "network-policies", ct);
        var policies = rendered.All<V1NetworkPolicy>().ToList();

        var deny = Assert.Single(policies, p => p.Spec.PodSelector.MatchLabels is null or { Count: 0 });
        Assert.Contains("Ingress", deny.Spec.PolicyTypes);
        Assert.Null(deny.Spec.Ingress);

        foreach (var target in model.Projects.Keys.Append("redis").Append("qdrant"))
        {
            var rules = policies.Where(p => p.Spec.PodSelector.MatchLabels is { } labels && labels.TryGetValue("app.kubernetes.io/name", out var selected) && selected == target)
                .SelectMany(p => p.Spec.Ingress ?? []).ToList();
            Assert.NotEmpty(rules);
            if (target == "edge")
            {
                Assert.All(rules, r => Assert.Null(r.FromProperty));
                continue;
            }

            var allowed = rules.SelectMany(r => r.FromProperty ?? [])
                .Select(f => f.PodSelector.MatchLabels["app.kubernetes.io/name"]).Distinct().Order().ToArray();
            Assert.Equal(model.CallersOf(target), allowed);
        }
    }
}
