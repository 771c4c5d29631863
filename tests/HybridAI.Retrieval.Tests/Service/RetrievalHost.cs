using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using HybridAI.Contracts;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Testing;

namespace HybridAI.Retrieval.Tests.Service;

/// <summary>An in-process retrieval (TestServer) whose embeddings come from the shared slm-inference over gRPC.</summary>
public class RetrievalHost : IDisposable
{
    public RetrievalHost(InferenceServer inference, IDictionary<string, string?>? extra = null, string? dataPath = null)
    {
        Settings = inference.RetrievalSettings(dataPath, extra);
        Factory = new ServiceFactory<RetrievalOptions>(Settings);
        Channel = GrpcChannel.ForAddress(Factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Factory.Server.CreateHandler() });
        Grpc = new RetrievalService.RetrievalServiceClient(Channel);
    }

    public Dictionary<string, string?> Settings { get; }

    public ServiceFactory<RetrievalOptions> Factory { get; }

    public GrpcChannel Channel { get; }

    public RetrievalService.RetrievalServiceClient Grpc { get; }

    public string DataPath => Settings["Retrieval:DataPath"]!;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>gRPC call options carrying the tenant the edge would stamp.</summary>
    public static CallOptions As(string tenant) => new(new Metadata { { HybridAIHeaders.Tenant, tenant } }, cancellationToken: Ct);

    /// <summary>An HTTP client whose requests carry the tenant header the edge would stamp.</summary>
    public HttpClient Http(string tenant)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add(HybridAIHeaders.Tenant, tenant);
        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct));

    public async Task CreateAsync(string tenant, string name, CollectionKind kind = CollectionKind.Documents) =>
        await Grpc.CreateCollectionAsync(new CreateCollectionRequest { Name = name, Kind = kind }, As(tenant));

    public async Task<List<IngestProgress>> IngestAsync(string tenant, string collection, params Document[] documents)
    {
        var request = new IngestRequest { Collection = collection };
        request.Documents.AddRange(documents);
        using var call = Grpc.Ingest(request, As(tenant));
        var progress = new List<IngestProgress>();
        await foreach (var message in call.ResponseStream.ReadAllAsync(Ct))
        {
            progress.Add(message);
        }

        return progress;
    }

    public void Dispose()
    {
        Channel.Dispose();
        Factory.Dispose();
        GC.SuppressFinalize(this);
    }
}
