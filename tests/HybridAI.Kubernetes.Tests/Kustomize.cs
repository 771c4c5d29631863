using System.Diagnostics;
using HybridAI.Testing;
using k8s;

namespace HybridAI.Kubernetes.Tests;

/// <summary>Renders k8s/ overlays, optionally with components, through <c>kubectl kustomize</c>.</summary>
internal static class Kustomize
{
    public static readonly string[] Overlays = ["dev", "prod"];

    public static readonly string[][] ComponentSets = [[], ["gpu"], ["network-policies"], ["gpu", "network-policies"]];

    public static string K8sRoot { get; } = Path.Combine(SharedDatasets.RepositoryRoot(), "k8s");

    /// <summary>Every (overlay, components) combination, as xUnit theory data.</summary>
    public static TheoryData<string, string> Combinations()
    {
        var data = new TheoryData<string, string>();
        foreach (var overlay in Overlays)
        {
            foreach (var set in ComponentSets)
            {
                data.Add(overlay, string.Join(",", set));
            }
        }

        return data;
    }

    /// <summary>Renders an overlay with the given components and parses every object with the typed models.</summary>
    public static async Task<Rendered> RenderAsync(string overlay, string components, CancellationToken cancellationToken)
    {
        // A throwaway kustomization that layers the components over the overlay, the way an operator would.
        var dir = Directory.CreateTempSubdirectory("hybridai-kustomize-");
        try
        {
            var relative = Path.GetRelativePath(dir.FullName, K8sRoot).Replace('\\', '/');
            var lines = new List<string>
            {
                "apiVersion: kustomize.config.k8s.io/v1beta1",
                "kind: Kustomization",
                $"namespace: {await OverlayNamespaceAsync(overlay, cancellationToken)}",
                "resources:",
                $"  - {relative}/overlays/{overlay}",
            };
            var set = components.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (set.Length > 0)
            {
                lines.Add("components:");
                lines.AddRange(set.Select(c => $"  - {relative}/components/{c}"));
            }

            await File.WriteAllLinesAsync(Path.Combine(dir.FullName, "kustomization.yaml"), lines, cancellationToken);
            var yaml = await RunKubectlAsync(["kustomize", dir.FullName], cancellationToken);
            return new Rendered(overlay, set, KubernetesYaml.LoadAllFromString(yaml));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<string> OverlayNamespaceAsync(string overlay, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(K8sRoot, "overlays", overlay, "kustomization.yaml"), cancellationToken);
        return lines.Select(l => l.Trim()).First(l => l.StartsWith("namespace:", StringComparison.Ordinal))["namespace:".Length..].Trim();
    }

    private static async Task<string> RunKubectlAsync(string[] args, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("kubectl", args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "kubectl is required to render k8s/ (kubectl 1.32 with kustomize v5; .ci/run installs it).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"kubectl {string.Join(' ', args)} failed: {await stderr}");
            }

            return await stdout;
        }
    }
}

/// <summary>The typed objects of one rendering.</summary>
internal sealed record Rendered(string Overlay, string[] Components, List<object> Objects)
{
    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Named<T>(string name) where T : IKubernetesObject<k8s.Models.V1ObjectMeta> =>
        Objects.OfType<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new InvalidOperationException($"{typeof(T).Name} '{name}' is not in {Overlay}+[{string.Join(",", Components)}].");
}
