using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging.Abstractions;

namespace HybridAI.AppHost.Tests;

/// <summary>The app model as AppHost.cs builds it, inspected without starting anything.</summary>
public sealed class AppModelTests
{
    private static readonly string[] Services = ["edge", "router", "slm-inference", "llm-proxy", "retrieval", "governance"];

    [Theory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task EveryServiceHasHttpAndGrpcEndpointsAndAReadinessCheck(string mode)
    {
        await using var builder = await AppHostFactory.CreateAsync(mode, $"--HybridAI:RedisServer={FakeRedisServer()}");

        foreach (var name in Services)
        {
            var project = Assert.Single(builder.Resources.OfType<ProjectResource>(), r => r.Name == name);
            var endpoints = project.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
            Assert.Equal("http", endpoints["http"].UriScheme);
            Assert.Equal("http", endpoints["grpc"].UriScheme);
            var env = await EnvironmentOf(project);
            Assert.Equal($"{{{name}.bindings.http.targetPort}}", env["HybridAI__HttpPort"]);
            Assert.Equal($"{{{name}.bindings.grpc.targetPort}}", env["HybridAI__GrpcPort"]);
            Assert.NotEmpty(project.Annotations.OfType<HealthCheckAnnotation>());
        }

        Assert.Equal(Services.Order(), builder.Resources.OfType<ProjectResource>().Select(p => p.Name).Order());
    }

    [Theory]
    [InlineData("router", new[] { "slm-inference", "llm-proxy", "retrieval", "governance", "redis" })]
    [InlineData("edge", new[] { "router", "retrieval", "governance" })]
    [InlineData("retrieval", new[] { "slm-inference" })]
    [InlineData("governance", new[] { "redis" })]
    public async Task ServicesReferenceAndWaitForWhatTheyCall(string service, string[] dependencies)
    {
        await using var builder = await AppHostFactory.CreateAsync("local", $"--HybridAI:RedisServer={FakeRedisServer()}");
        var project = builder.Resources.Single(r => r.Name == service);
        var env = await EnvironmentOf(project);

        Assert.Equal(dependencies.Order(), project.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order());
        foreach (var dependency in dependencies.Where(d => d != "redis"))
        {
            Assert.Contains($"services__{dependency}__grpc__0", env.Keys);
            Assert.Contains($"services__{dependency}__http__0", env.Keys);
        }

        Assert.Equal(dependencies.Contains("redis"), env.ContainsKey("ConnectionStrings__redis"));
    }

    [Fact]
    public async Task LocalModeRunsRedisFromRedisServerAndUsesTheEmbeddedVectorStore()
    {
        var redisServer = FakeRedisServer();
        await using var builder = await AppHostFactory.CreateAsync("local", $"--HybridAI:RedisServer={redisServer}");

        var redis = Assert.IsType<LocalRedisResource>(builder.Resources.Single(r => r.Name == "redis"));
        Assert.Equal(redisServer, redis.Command);
        Assert.NotEmpty(redis.Annotations.OfType<HealthCheckAnnotation>());
        Assert.DoesNotContain(builder.Resources, r => r.Name == "qdrant");
        Assert.Empty(builder.Resources.OfType<ContainerResource>());

        var retrieval = await EnvironmentOf(builder.Resources.Single(r => r.Name == "retrieval"));
        Assert.Equal("Embedded", retrieval["Retrieval__VectorStore"]);
        Assert.Equal("true", retrieval["Retrieval__LoadSampleKnowledgeBase"]);
        Assert.False(string.IsNullOrEmpty(retrieval["Retrieval__DataPath"]));
    }

    [Fact]
    public async Task LocalModeWithoutRedisServerLeavesServicesOnInProcessState()
    {
        await using var builder = await AppHostFactory.CreateAsync("local", "--HybridAI:RedisServer=/nonexistent/redis-server");

        Assert.DoesNotContain(builder.Resources, r => r.Name == "redis");
        foreach (var name in new[] { "router", "governance" })
        {
            var env = await EnvironmentOf(builder.Resources.Single(r => r.Name == name));
            Assert.DoesNotContain("ConnectionStrings__redis", env.Keys);
        }
    }

    [Fact]
    public async Task ContainersModeRunsRedisAndQdrantAsContainers()
    {
        await using var builder = await AppHostFactory.CreateAsync("containers");

        Assert.IsType<RedisResource>(builder.Resources.Single(r => r.Name == "redis"));
        var qdrant = Assert.IsType<ContainerResource>(builder.Resources.Single(r => r.Name == "qdrant"));
        var image = Assert.Single(qdrant.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("qdrant/qdrant", image.Image);
        var ports = qdrant.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name, e => e.TargetPort);
        Assert.Equal(6333, ports["http"]);
        Assert.Equal(6334, ports["grpc"]);
        Assert.Contains(builder.Resources.OfType<ParameterResource>(), p => p.Name == "qdrant-api-key" && p.Secret);

        var retrieval = builder.Resources.Single(r => r.Name == "retrieval");
        var env = await EnvironmentOf(retrieval);
        Assert.Equal("Qdrant", env["Retrieval__VectorStore"]);
        Assert.Contains("qdrant", env["Retrieval__Qdrant__Endpoint"], StringComparison.Ordinal);
        Assert.Contains("qdrant-api-key", env["Retrieval__Qdrant__ApiKey"], StringComparison.Ordinal);
        Assert.Contains(retrieval.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "qdrant");
    }

    [Theory]
    [InlineData("local")]
    [InlineData("containers")]
    public async Task SecretsReachGovernanceAsParameters(string mode)
    {
        await using var builder = await AppHostFactory.CreateAsync(mode, $"--HybridAI:RedisServer={FakeRedisServer()}");

        Assert.Contains(builder.Resources.OfType<ParameterResource>(), p => p.Name == "dev-api-key" && p.Secret);
        Assert.Contains(builder.Resources.OfType<ParameterResource>(), p => p.Name == "admin-api-key" && p.Secret);
        var env = await EnvironmentOf(builder.Resources.Single(r => r.Name == "governance"));
        Assert.Equal("{admin-api-key.value}", env["Governance__AdminApiKey"]);
        Assert.Equal("{dev-api-key.value}", env["Governance__DevApiKey"]);
        var edge = await EnvironmentOf(builder.Resources.Single(r => r.Name == "edge"));
        Assert.Equal("{admin-api-key.value}", edge["Edge__AdminApiKey"]);
    }

    [Fact]
    public async Task LlmParametersAreOptionalAndDefineTheDefaultModelWhenSet()
    {
        await using (var without = await AppHostFactory.CreateAsync("local"))
        {
            Assert.DoesNotContain(without.Resources, r => r.Name.StartsWith("llm-", StringComparison.Ordinal) && r is ParameterResource);
            var env = await EnvironmentOf(without.Resources.Single(r => r.Name == "llm-proxy"));
            Assert.DoesNotContain("LlmProxy__Default__Endpoint", env.Keys);
        }

        await using var with = await AppHostFactory.CreateAsync("local",
            "--Parameters:llm-endpoint=http://localhost:11434/v1", "--Parameters:llm-api-key=sk-test");
        Assert.Contains(with.Resources.OfType<ParameterResource>(), p => p.Name == "llm-api-key" && p.Secret);
        var proxy = await EnvironmentOf(with.Resources.Single(r => r.Name == "llm-proxy"));
        Assert.Equal("{llm-endpoint.value}", proxy["LlmProxy__Default__Endpoint"]);
        Assert.Equal("{llm-api-key.value}", proxy["LlmProxy__Default__ApiKey"]);
    }

    [Fact]
    public async Task EdgeIsExternal()
    {
        await using var builder = await AppHostFactory.CreateAsync("local");
        var edge = builder.Resources.Single(r => r.Name == "edge");
        Assert.All(edge.Annotations.OfType<EndpointAnnotation>(), e => Assert.True(e.IsExternal));
        Assert.All(builder.Resources.OfType<ProjectResource>().Where(r => r.Name != "edge"),
            r => Assert.All(r.Annotations.OfType<EndpointAnnotation>(), e => Assert.False(e.IsExternal)));
    }

    [Fact]
    public async Task UnknownInfrastructureModeIsRefusedWithTheAllowedValues()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppHostFactory.CreateAsync("kubernetes"));
        var message = error.InnerException?.Message ?? error.Message;
        Assert.Contains("HybridAI:Infrastructure must be 'local', 'containers' or 'auto', but is 'kubernetes'", message, StringComparison.Ordinal);
    }

    // Publish-mode evaluation renders references as expressions ({name.bindings.http.targetPort}), which is what a
    // model test should compare: the wiring, not values allocated at run time.
    private static async Task<Dictionary<string, string>> EnvironmentOf(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish),
                NullLogger.Instance, TestContext.Current.CancellationToken);
        return configuration.EnvironmentVariables.ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    // The model only needs a file that exists; nothing is started.
    private static string FakeRedisServer()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hybridai-apphost-tests", "bin");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "redis-server");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "#!/bin/sh\n");
        }

        return path;
    }
}
