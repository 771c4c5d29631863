using HybridAI.Contracts;

namespace HybridAI.AppHost;

/// <summary>How HybridAI services are modelled: two named endpoints, readiness health, shared settings.</summary>
public static class Extensions
{
    /// <summary>
    /// Adds a HybridAI service with its <c>http</c> (HTTP/1.1 + HTTP/2) and <c>grpc</c> (HTTP/2 cleartext)
    /// endpoints, whose ports reach the service as <c>HybridAI:HttpPort</c> / <c>HybridAI:GrpcPort</c>, and a
    /// readiness check on <c>/health</c> that <c>WaitFor</c> uses.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder, string name, int? httpPort = null, int? grpcPort = null)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(port: httpPort, name: ServiceNames.HttpEndpoint, env: "HybridAI__HttpPort")
            .WithHttpEndpoint(port: grpcPort, name: ServiceNames.GrpcEndpoint, env: "HybridAI__GrpcPort")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithHttpHealthCheck("/health", endpointName: ServiceNames.HttpEndpoint);

    /// <summary>References Redis when it runs (container or local program); without it the service stays in-process.</summary>
    public static IResourceBuilder<ProjectResource> WithRedis(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString>? redis) =>
        redis is null ? service : service.WithReference(redis).WaitFor(redis);

    /// <summary>Points retrieval at Qdrant (containers mode) or its embedded store with the sample knowledge base (local mode).</summary>
    public static IResourceBuilder<ProjectResource> WithVectorStore(
        this IResourceBuilder<ProjectResource> retrieval, InfrastructureResources infrastructure, AppHostSettings settings)
    {
        if (infrastructure is { Qdrant: { } qdrant, QdrantApiKey: { } apiKey })
        {
            return retrieval
                .WithEnvironment("Retrieval__VectorStore", "Qdrant")
                .WithEnvironment("Retrieval__Qdrant__Endpoint", qdrant.GetEndpoint(InfrastructureExtensions.QdrantGrpcEndpoint))
                .WithEnvironment("Retrieval__Qdrant__ApiKey", apiKey)
                .WithEnvironment("Retrieval__LoadSampleKnowledgeBase", "true")
                .WaitFor(qdrant);
        }

        return retrieval
            .WithEnvironment("Retrieval__VectorStore", "Embedded")
            .WithEnvironment("Retrieval__DataPath", settings.DataPath("retrieval"))
            .WithEnvironment("Retrieval__LoadSampleKnowledgeBase", "true");
    }

    /// <summary>Defines llm-proxy's default model from the optional <c>llm-*</c> parameters.</summary>
    public static IResourceBuilder<ProjectResource> WithDefaultLlm(
        this IResourceBuilder<ProjectResource> llmProxy,
        IResourceBuilder<ParameterResource>? endpoint,
        IResourceBuilder<ParameterResource>? apiKey,
        IResourceBuilder<ParameterResource>? model)
    {
        if (endpoint is not null)
        {
            llmProxy.WithEnvironment("LlmProxy__Default__Endpoint", endpoint);
        }

        if (apiKey is not null)
        {
            llmProxy.WithEnvironment("LlmProxy__Default__ApiKey", apiKey);
        }

        if (model is not null)
        {
            llmProxy.WithEnvironment("LlmProxy__Default__UpstreamModel", model);
        }

        return llmProxy;
    }

    /// <summary>
    /// A secret parameter taken from <c>Parameters:&lt;name&gt;</c>, or generated on first run and kept in the
    /// AppHost's user secrets (<c>dotnet user-secrets list --project AppHost</c>); the dashboard shows it too.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);

    /// <summary>A parameter that exists only when <c>Parameters:&lt;name&gt;</c> is configured.</summary>
    public static IResourceBuilder<ParameterResource>? AddOptionalParameter(this IDistributedApplicationBuilder builder, string name, bool secret) =>
        string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{name}"]) ? null : builder.AddParameter(name, secret: secret);
}
