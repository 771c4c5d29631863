using HybridAI.AppHost;
using HybridAI.Contracts;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder.Configuration);

// Parameters: read from configuration (Parameters:<name>, or Parameters__<name> in the environment).
var devApiKey = builder.AddGeneratedSecret("dev-api-key");
var adminApiKey = builder.AddGeneratedSecret("admin-api-key");
var llmEndpoint = builder.AddOptionalParameter("llm-endpoint", secret: false);
var llmApiKey = builder.AddOptionalParameter("llm-api-key", secret: true);
var llmModel = builder.AddOptionalParameter("llm-model", secret: false);

// Infrastructure: containers when a container runtime is healthy, else local programs and in-process stores.
var infrastructure = builder.AddInfrastructure(settings);

// Services.
var slmInference = builder.AddService<Projects.HybridAI_SlmInference>(ServiceNames.SlmInference);

var llmProxy = builder.AddService<Projects.HybridAI_LlmProxy>(ServiceNames.LlmProxy)
    .WithDefaultLlm(llmEndpoint, llmApiKey, llmModel);

var governance = builder.AddService<Projects.HybridAI_Governance>(ServiceNames.Governance)
    .WithEnvironment("Governance__AdminApiKey", adminApiKey)
    .WithEnvironment("Governance__DevApiKey", devApiKey)
    .WithEnvironment("Governance__DataPath", settings.DataPath("governance"))
    // Policies naming unknown targets are refused against llm-proxy's catalogue; no WaitFor: governance must work while
    // llm-proxy is down (it then skips that check, logged).
    .WithReference(llmProxy)
    .WithEnvironment("Governance__Targets__LlmProxyAddress", llmProxy.GetEndpoint(ServiceNames.GrpcEndpoint))
    .WithRedis(infrastructure.Redis);

var retrieval = builder.AddService<Projects.HybridAI_Retrieval>(ServiceNames.Retrieval)
    .WithReference(slmInference).WaitFor(slmInference)
    .WithVectorStore(infrastructure, settings);

var router = builder.AddService<Projects.HybridAI_Router>(ServiceNames.Router)
    .WithReference(slmInference).WaitFor(slmInference)
    .WithReference(llmProxy).WaitFor(llmProxy)
    .WithReference(retrieval).WaitFor(retrieval)
    .WithReference(governance).WaitFor(governance)
    .WithEnvironment("GovernanceClient__OutboxPath", Path.Combine(settings.DataPath("router"), "receipt-outbox.db"))
    .WithRedis(infrastructure.Redis);

// Edge: the only public door.
builder.AddService<Projects.HybridAI_Edge>(ServiceNames.Edge, settings.EdgePort, settings.EdgeGrpcPort)
    .WithExternalHttpEndpoints()
    .WithEnvironment("Edge__AdminApiKey", adminApiKey)
    .WithReference(router).WaitFor(router)
    .WithReference(retrieval).WaitFor(retrieval)
    .WithReference(governance).WaitFor(governance);

builder.Build().Run();
