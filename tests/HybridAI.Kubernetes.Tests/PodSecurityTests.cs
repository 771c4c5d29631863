using k8s.Models;
using Microsoft.Extensions.Hosting;

namespace HybridAI.Kubernetes.Tests;

public sealed class PodSecurityTests
{
    public static TheoryData<string, string> Combinations => Kustomize.Combinations();

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task EveryPodRunsNonRootReadOnlyWithoutPrivilegesAndWithResourceBounds(string overlay, string components)
    {
        var rendered = await Kustomize.RenderAsync(overlay, components, TestContext.Current.CancellationToken);
        var pods = rendered.All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(rendered.All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec)));

        foreach (var (name, pod) in pods)
        {
            Assert.True(pod.SecurityContext.RunAsNonRoot, name);
            Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.False(pod.AutomountServiceAccountToken);
            foreach (var container in pod.Containers)
            {
                Assert.False(container.SecurityContext.AllowPrivilegeEscalation, name);
                Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, name);
                Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
                Assert.Null(container.SecurityContext.Capabilities.Add);
                Assert.Contains("cpu", container.Resources.Requests.Keys);
                Assert.Contains("memory", container.Resources.Requests.Keys);
                Assert.Contains("cpu", container.Resources.Limits.Keys);
                Assert.Contains("memory", container.Resources.Limits.Keys);
                Assert.NotNull(container.ReadinessProbe);
                Assert.NotNull(container.LivenessProbe);
                Assert.NotNull(container.StartupProbe);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task ServiceProbesPointAtTheHealthEndpointsTheServicesServe(string overlay, string components)
    {
        var rendered = await Kustomize.RenderAsync(overlay, components, TestContext.Current.CancellationToken);

        foreach (var deployment in rendered.All<V1Deployment>())
        {
            var container = deployment.Spec.Template.Spec.Containers[0];
            var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
            var env = ClusterConfiguration.EnvironmentOf(rendered, container);

            // Liveness and start-up: the process answers (/alive). Readiness: every dependency check, over
            // the standard gRPC health service on the gRPC port where the service speaks gRPC, else /health.
            Assert.Equal(Extensions.AlivenessEndpointPath, container.LivenessProbe.HttpGet.Path);
            Assert.Equal(Extensions.AlivenessEndpointPath, container.StartupProbe.HttpGet.Path);
            Assert.Equal("http", container.LivenessProbe.HttpGet.Port.Value);
            if (container.ReadinessProbe.Grpc is { } grpc)
            {
                Assert.Equal(ports["grpc"], grpc.Port);
                Assert.Equal(env["HybridAI__GrpcPort"], grpc.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                Assert.Equal("edge", deployment.Metadata.Name);
                Assert.Equal(Extensions.HealthEndpointPath, container.ReadinessProbe.HttpGet.Path);
                Assert.Equal("http", container.ReadinessProbe.HttpGet.Port.Value);
            }
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task GpuComponentSchedulesSlmInferenceOnGpuNodesWithCuda(string overlay)
    {
        var ct = TestContext.Current.CancellationToken;
        var gpu = await Kustomize.RenderAsync(overlay, "gpu", ct);
        var cpu = await Kustomize.RenderAsync(overlay, "", ct);

        var pod = gpu.Named<V1Deployment>("slm-inference").Spec.Template.Spec;
        var container = pod.Containers[0];
        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("true", pod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule");
        Assert.Equal("cuda", ClusterConfiguration.EnvironmentOf(gpu, container)["Inference__Device"]);
        Assert.StartsWith("hybridai/slm-inference-cuda:", container.Image, StringComparison.Ordinal);

        var cpuContainer = cpu.Named<V1Deployment>("slm-inference").Spec.Template.Spec.Containers[0];
        Assert.Equal("cpu", ClusterConfiguration.EnvironmentOf(cpu, cpuContainer)["Inference__Device"]);
        Assert.DoesNotContain("nvidia.com/gpu", cpuContainer.Resources.Limits.Keys);
        Assert.All(gpu.All<V1Deployment>().Where(d => d.Metadata.Name != "slm-inference"),
            d => Assert.Null(d.Spec.Template.Spec.NodeSelector));
    }
}
