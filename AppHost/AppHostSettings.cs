using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace HybridAI.AppHost;

/// <summary>Where infrastructure runs.</summary>
public enum InfrastructureMode
{
    /// <summary>Redis from a local <c>redis-server</c> (else in-process state in each service); vectors in the embedded store.</summary>
    Local,

    /// <summary>Redis and Qdrant as containers.</summary>
    Containers,
}

/// <summary>The AppHost's own settings (section <c>HybridAI</c>), validated before anything is modelled.</summary>
public sealed record AppHostSettings(
    InfrastructureMode? RequestedMode,
    int? EdgePort,
    int? EdgeGrpcPort,
    string RedisServer,
    string QdrantImage,
    string QdrantTag,
    string DataRoot)
{
    public const string InfrastructureKey = "HybridAI:Infrastructure";

    /// <summary>Reads and validates the settings; every bad value is named in one exception.</summary>
    public static AppHostSettings From(IConfiguration configuration)
    {
        var problems = new List<string>();
        var mode = (configuration[InfrastructureKey] ?? "auto").Trim().ToLowerInvariant() switch
        {
            "" or "auto" => (InfrastructureMode?)null,
            "local" => InfrastructureMode.Local,
            "containers" => InfrastructureMode.Containers,
            var other => Fail<InfrastructureMode?>(problems,
                $"{InfrastructureKey} must be 'local', 'containers' or 'auto', but is '{other}'."),
        };
        var edgePort = Port(configuration, "HybridAI:EdgePort", problems);
        var edgeGrpcPort = Port(configuration, "HybridAI:EdgeGrpcPort", problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid AppHost configuration: " + string.Join(" ", problems));
        }

        var dataRoot = configuration["HybridAI:DataPath"] is { Length: > 0 } d
            ? Path.GetFullPath(d)
            : Path.Combine(Directory.GetCurrentDirectory(), ".data");
        return new AppHostSettings(mode, edgePort, edgeGrpcPort,
            configuration["HybridAI:RedisServer"] is { Length: > 0 } r ? r : "redis-server",
            configuration["HybridAI:QdrantImage"] is { Length: > 0 } qi ? qi : "qdrant/qdrant",
            configuration["HybridAI:QdrantTag"] is { Length: > 0 } qt ? qt : "v1.15.5",
            dataRoot);
    }

    /// <summary>A per-service data folder under the AppHost's data root (local state survives restarts).</summary>
    public string DataPath(string service) => Path.Combine(DataRoot, service);

    // "auto" (or empty) lets Aspire pick a free port; tests use it so they never collide with a running suite.
    private static int? Port(IConfiguration configuration, string key, List<string> problems)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value) || value.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            return port;
        }

        problems.Add($"{key} must be a TCP port (1-65535) or 'auto', but is '{value}'.");
        return null;
    }

    private static T Fail<T>(List<string> problems, string message)
    {
        problems.Add(message);
        return default!;
    }
}
