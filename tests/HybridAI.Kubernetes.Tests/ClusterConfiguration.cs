using System.Reflection;
using System.Text.RegularExpressions;
using HybridAI.ServiceDefaults.Options;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HybridAI.Kubernetes.Tests;

/// <summary>What a container sees as its environment in a rendering, with Secret values from the template.</summary>
internal static partial class ClusterConfiguration
{
    public static V1Secret SecretTemplate { get; } = KubernetesYaml.Deserialize<V1Secret>(
        File.ReadAllText(Path.Combine(Kustomize.K8sRoot, "secrets", "secret.template.yaml")));

    /// <summary>The container's environment: envFrom ConfigMaps/Secrets, then env (which wins), with $(VAR) expanded.</summary>
    public static Dictionary<string, string> EnvironmentOf(Rendered rendered, V1Container container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } cm)
            {
                foreach (var (k, v) in rendered.Named<V1ConfigMap>(cm.Name).Data ?? new Dictionary<string, string>())
                {
                    env[k] = v;
                }
            }

            if (source.SecretRef is { } secret)
            {
                Assert.Equal(SecretTemplate.Metadata.Name, secret.Name);
                foreach (var k in SecretTemplate.StringData.Keys)
                {
                    env[k] = Placeholder(k);
                }
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            env[variable.Name] = variable switch
            {
                { ValueFrom.ConfigMapKeyRef: { } r } => rendered.Named<V1ConfigMap>(r.Name).Data[r.Key],
                { ValueFrom.SecretKeyRef: { } r } => Placeholder(r.Key),
                _ => VariableReference().Replace(variable.Value ?? "", m => env.GetValueOrDefault(m.Groups[1].Value, m.Value)),
            };
        }

        return env;
    }

    /// <summary>A distinct, long-enough stand-in for a secret value (validation checks lengths and distinctness).</summary>
    public static string Placeholder(string key) => $"placeholder-{key}-0123456789abcdef";

    /// <summary>
    /// Binds and validates every options class of the service's assembly from the environment, exactly as the
    /// service does at start (ValidateOnStart); returns the failures.
    /// </summary>
    public static List<string> ValidateServiceOptions(Assembly service, IReadOnlyDictionary<string, string> env)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(env.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value)))
            .Build();
        var failures = new List<string>();
        foreach (var type in service.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IServiceOptions).IsAssignableFrom(t)))
        {
            var section = (string)type.GetProperty(nameof(IServiceOptions.SectionName), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            var options = Activator.CreateInstance(type)!;
            configuration.GetSection(section).Bind(options);
            var validator = Activator.CreateInstance(typeof(ServiceOptionsValidator<>).MakeGenericType(type))!;
            var result = (ValidateOptionsResult)validator.GetType().GetMethod(nameof(IValidateOptions<>.Validate))!
                .Invoke(validator, [null, options])!;
            if (result.Failed)
            {
                failures.Add(result.FailureMessage);
            }
        }

        return failures;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();
}
