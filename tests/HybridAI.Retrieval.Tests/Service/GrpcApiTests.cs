using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Embeddings;
using HybridAI.Retrieval.Errors;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.Retrieval.Tests.Service;

/// <summary>The gRPC API: tenancy, ingestion semantics (hash, replace, atomicity), labels.</summary>
public sealed class GrpcApiTests(InferenceServer inference) : IDisposable
{
    private readonly RetrievalHost _host = new(inference);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CallsWithoutATenantAreUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Grpc.ListCollectionsAsync(new ListCollectionsRequest(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("x-hybridai-tenant", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATenantCanNeitherSearchNorDeleteAnotherTenantsDocumentsEvenByGuessingIds()
    {
        await _host.CreateAsync("acme", "kb");
        await _host.IngestAsync("acme", "kb", new Document { Id = "salaries", Text = "The CEO salary is 400,000 euros a year.", Label = DataClass.Restricted });
        await _host.CreateAsync("globex", "kb");

        var search = await _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "CEO salary", TopK = 5 }, RetrievalHost.As("globex"));
        Assert.Empty(search.Results);
        var delete = await Assert.ThrowsAsync<RpcException>(() => _host.Grpc.DeleteDocumentAsync(new DeleteDocumentRequest { Collection = "kb", DocumentId = "salaries" }, RetrievalHost.As("globex")).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, delete.StatusCode);
        Assert.Equal("document", delete.GetRpcStatus()!.GetDetail<ResourceInfo>().ResourceType);

        await _host.Grpc.DeleteCollectionAsync(new DeleteCollectionRequest { Name = "kb" }, RetrievalHost.As("globex"));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "CEO salary" }, RetrievalHost.As("globex")).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        var owner = await _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "CEO salary", TopK = 5 }, RetrievalHost.As("acme"));
        Assert.Equal("salaries", Assert.Single(owner.Results).DocumentId);
        Assert.Equal(DataClass.Restricted, owner.HighestLabel);
    }

    [Fact]
    public async Task ReingestingSkipsUnchangedContentRelabelsWithoutEmbeddingAndReplacesChangedContent()
    {
        await _host.CreateAsync("acme", "kb");
        var original = new Document { Id = "hours", Text = "The office opens at 8:00 and closes at 18:00.", Label = DataClass.Public };
        Assert.Equal("indexed", (await _host.IngestAsync("acme", "kb", original))[0].Status);
        Assert.Equal("unchanged", (await _host.IngestAsync("acme", "kb", original))[0].Status);
        var relabelled = original.Clone();
        relabelled.Label = DataClass.Internal;
        Assert.Equal("updated", (await _host.IngestAsync("acme", "kb", relabelled))[0].Status);
        var changed = new Document { Id = "hours", Text = "The warehouse ships parcels every weekday afternoon.", Label = DataClass.Internal };
        Assert.Equal("indexed", (await _host.IngestAsync("acme", "kb", changed))[0].Status);

        var results = (await _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "office opening time", TopK = 5 }, RetrievalHost.As("acme"))).Results;
        var only = Assert.Single(results);
        Assert.Contains("warehouse", only.Text, StringComparison.Ordinal);
        Assert.Equal(DataClass.Internal, only.Label);
    }

    [Fact]
    public async Task IngestStreamsProgressPerDocumentAndAFinalSummary()
    {
        await _host.CreateAsync("acme", "kb");
        var documents = Enumerable.Range(0, 4).Select(i => new Document { Id = $"n{i}", Text = $"Note {i}: the meeting room {i} has a projector." }).ToArray();
        var progress = await _host.IngestAsync("acme", "kb", documents);

        Assert.Equal(5, progress.Count);
        Assert.Equal(["n0", "n1", "n2", "n3"], progress.Take(4).Select(p => p.DocumentId));
        Assert.Equal([1, 2, 3, 4], progress.Take(4).Select(p => p.DocumentsDone));
        Assert.True(progress[^1].Final);
        Assert.Equal("completed", progress[^1].Status);
        Assert.Equal(4, progress[^1].Chunks);
    }

    [Fact]
    public async Task AnInvalidDocumentRefusesTheWholeRequestWithFieldViolations()
    {
        await _host.CreateAsync("acme", "kb");
        var request = new IngestRequest { Collection = "kb", Documents = { new Document { Id = "ok", Text = "Fine." }, new Document { Id = "", Text = "" } } };
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = _host.Grpc.Ingest(request, RetrievalHost.As("acme"));
            await foreach (var unused in call.ResponseStream.ReadAllAsync(Ct))
            {
                Assert.Fail("no progress is expected before validation fails");
            }
        });
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations, v => v.Field == "documents[1]");
        Assert.Equal(0, (await _host.Grpc.GetCollectionAsync(new GetCollectionRequest { Name = "kb" }, RetrievalHost.As("acme"))).DocumentCount);
    }

    [Fact]
    public async Task AnEmbeddingFailureLeavesThePreviousVersionWholeAndStopsWithUnavailable()
    {
        using var factory = new HybridAI.Testing.ServiceFactory<RetrievalOptions>(inference.RetrievalSettings());
        using var failing = factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddSingleton<IEmbeddingClient>(sp => new FailingEmbeddings(ActivatorUtilities.CreateInstance<GrpcEmbeddingClient>(sp)))));
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(failing.Server.BaseAddress, new global::Grpc.Net.Client.GrpcChannelOptions { HttpHandler = failing.Server.CreateHandler() });
        var client = new RetrievalService.RetrievalServiceClient(channel);
        await client.CreateCollectionAsync(new CreateCollectionRequest { Name = "kb" }, RetrievalHost.As("acme"));
        using (var first = client.Ingest(new IngestRequest { Collection = "kb", Documents = { new Document { Id = "doc", Text = "Version one mentions llamas." } } }, RetrievalHost.As("acme")))
        {
            await foreach (var unused in first.ResponseStream.ReadAllAsync(Ct))
            {
            }
        }

        var statuses = new List<string>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var second = client.Ingest(new IngestRequest { Collection = "kb", Documents = { new Document { Id = "doc", Text = "Version two mentions FAIL and alpacas." } } }, RetrievalHost.As("acme"));
            await foreach (var progress in second.ResponseStream.ReadAllAsync(Ct))
            {
                statuses.Add(progress.Status);
            }
        });

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(["failed"], statuses);
        var results = await client.SearchAsync(new SearchRequest { Collection = "kb", Query = "llamas alpacas", TopK = 5 }, RetrievalHost.As("acme"));
        Assert.Contains("llamas", Assert.Single(results.Results).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchHonoursMaxLabelMetadataFiltersAndMinScore()
    {
        await _host.CreateAsync("acme", "kb");
        await _host.IngestAsync("acme", "kb",
            new Document { Id = "public", Text = "Parking is free for visitors on weekends.", Label = DataClass.Public, Metadata = { ["site"] = "north" } },
            new Document { Id = "restricted", Text = "Parking badges for executives are issued by security.", Label = DataClass.Restricted, Metadata = { ["site"] = "south" } });

        var capped = await _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "parking", TopK = 5, MaxLabel = DataClass.Internal }, RetrievalHost.As("acme"));
        Assert.Equal(["public"], capped.Results.Select(r => r.DocumentId));
        Assert.Equal(DataClass.Public, capped.HighestLabel);
        var south = await _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "parking", TopK = 5, Filter = { ["site"] = "south" } }, RetrievalHost.As("acme"));
        Assert.Equal(["restricted"], south.Results.Select(r => r.DocumentId));
        var strict = await _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "parking", TopK = 5, Mode = SearchMode.Vector, MinScore = 0.99 }, RetrievalHost.As("acme"));
        Assert.Empty(strict.Results);
        var weighted = await _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "parking", TopK = 5, VectorWeight = 1 }, RetrievalHost.As("acme"));
        Assert.Equal(weighted.Results[0].VectorScore, weighted.Results.Max(r => r.VectorScore));
        var badWeight = await Assert.ThrowsAsync<RpcException>(() => _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "parking", VectorWeight = 2 }, RetrievalHost.As("acme")).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badWeight.StatusCode);
        var keyword = await _host.Grpc.SearchAsync(new SearchRequest { Collection = "kb", Query = "executives", TopK = 5, Mode = SearchMode.Keyword }, RetrievalHost.As("acme"));
        Assert.Equal("restricted", Assert.Single(keyword.Results).DocumentId);
        Assert.True(keyword.Results[0].KeywordScore > 0);
    }

    /// <summary>The real client, except that any batch containing "FAIL" fails as an unreachable slm-inference would.</summary>
    private sealed class FailingEmbeddings(IEmbeddingClient inner) : IEmbeddingClient
    {
        public Task<Embeddings.Embeddings> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            texts.Any(t => t.Contains("FAIL", StringComparison.Ordinal))
                ? throw new DependencyUnavailableException("slm-inference could not embed (test failure).")
                : inner.EmbedAsync(texts, cancellationToken);
    }

    public void Dispose() => _host.Dispose();
}
