using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HybridAI.AppHost;

/// <summary>The infrastructure the services use, as chosen for this run.</summary>
public sealed record InfrastructureResources(
    InfrastructureMode Mode,
    string Reason,
    IResourceBuilder<IResourceWithConnectionString>? Redis,
    IResourceBuilder<ContainerResource>? Qdrant,
    IResourceBuilder<ParameterResource>? QdrantApiKey);

/// <summary>Chooses and models Redis and Qdrant for containers or local mode.</summary>
public static class InfrastructureExtensions
{
    public const string QdrantGrpcEndpoint = "grpc";

    /// <summary>
    /// Resolves the infrastructure mode (configuration, else a container-runtime probe; publishing always
    /// uses containers), models Redis and Qdrant for it, and logs the choice and why when the app starts.
    /// </summary>
    public static InfrastructureResources AddInfrastructure(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var (mode, reason) = settings.RequestedMode switch
        {
            { } requested => (requested, $"{AppHostSettings.InfrastructureKey}={requested.ToString().ToLowerInvariant()}"),
            null when builder.ExecutionContext.IsPublishMode => (InfrastructureMode.Containers, "publishing"),
            null => ContainerRuntimeProbe.Check(builder.Configuration, TimeSpan.FromSeconds(5)) switch
            {
                (true, var why) => (InfrastructureMode.Containers, why),
                (false, var why) => (InfrastructureMode.Local, why),
            },
        };

        var resources = mode == InfrastructureMode.Containers
            ? AddContainers(builder, settings, reason)
            : AddLocal(builder, settings, reason);

        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HybridAI.AppHost");
            logger.LogInformation("Infrastructure mode: {Mode} ({Reason}). Redis: {Redis}. Vectors: {Vectors}.",
                resources.Mode.ToString().ToLowerInvariant(), resources.Reason,
                resources.Redis switch
                {
                    null => "in-process in each service (no redis-server on PATH; install it for shared state)",
                    { Resource: LocalRedisResource local } => $"local {local.Command}",
                    _ => "container",
                },
                resources.Qdrant is null ? $"embedded store under {settings.DataPath("retrieval")}" : "Qdrant container");
            return Task.CompletedTask;
        });
        return resources;
    }

    private static InfrastructureResources AddContainers(IDistributedApplicationBuilder builder, AppHostSettings settings, string reason)
    {
        var redis = builder.AddRedis("redis").WithDataVolume("hybridai-redis");
        var qdrantApiKey = builder.AddParameter("qdrant-api-key",
            new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
        var qdrant = builder.AddContainer("qdrant", settings.QdrantImage, settings.QdrantTag)
            .WithHttpEndpoint(targetPort: 6333, name: "http")
            .WithHttpEndpoint(targetPort: 6334, name: QdrantGrpcEndpoint)
            .WithEnvironment("QDRANT__SERVICE__API_KEY", qdrantApiKey)
            .WithVolume("hybridai-qdrant", "/qdrant/storage")
            .WithHttpHealthCheck("/readyz", endpointName: "http");
        return new InfrastructureResources(InfrastructureMode.Containers, reason,
            builder.CreateResourceBuilder<IResourceWithConnectionString>(redis.Resource), qdrant, qdrantApiKey);
    }

    private static InfrastructureResources AddLocal(IDistributedApplicationBuilder builder, AppHostSettings settings, string reason)
    {
        var redisServer = FindOnPath(settings.RedisServer);
        if (redisServer is null)
        {
            return new InfrastructureResources(InfrastructureMode.Local, reason, null, null, null);
        }

        var dataDir = settings.DataPath("redis");
        Directory.CreateDirectory(dataDir);
        var resource = new LocalRedisResource("redis", redisServer, dataDir);
        const string healthCheck = "redis-local-ping";
        builder.Services.AddHealthChecks().AddCheck(healthCheck, new RedisPingHealthCheck(resource));
        var redis = builder.AddResource(resource)
            .WithEndpoint(name: LocalRedisResource.EndpointName, scheme: "tcp")
            .WithArgs(ctx =>
            {
                ctx.Args.Add("--port");
                ctx.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                ctx.Args.Add("--bind");
                ctx.Args.Add("127.0.0.1");
                ctx.Args.Add("--dir");
                ctx.Args.Add(dataDir);
                ctx.Args.Add("--appendonly");
                ctx.Args.Add("yes");
            })
            .WithHealthCheck(healthCheck);
        return new InfrastructureResources(InfrastructureMode.Local, reason,
            builder.CreateResourceBuilder<IResourceWithConnectionString>(redis.Resource), null, null);
    }

    /// <summary>Finds a program by path or on PATH.</summary>
    public static string? FindOnPath(string program)
    {
        if (program.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
    }
}
