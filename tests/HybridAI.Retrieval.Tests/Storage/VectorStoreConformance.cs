using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Tenancy;

namespace HybridAI.Retrieval.Tests.Storage;

/// <summary>
/// What every <see cref="IVectorStore"/> must do, run against the embedded store and (when one is configured) Qdrant.
/// Vectors are small synthetic unit vectors, so the expected order is known exactly.
/// </summary>
public abstract class VectorStoreConformance
{
    protected const int Dimensions = 8;
    private readonly string _tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _other = "o-" + Guid.NewGuid().ToString("N")[..8];

    protected abstract IVectorStore Store { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreatesListsAndDeletesCollectionsPerTenant()
    {
        await Create(_tenant, "alpha");
        await Create(_tenant, "beta", CollectionKind.Faq);
        await Create(_other, "alpha");

        var mine = await Store.ListCollectionsAsync(_tenant, Ct);
        Assert.Equal(["alpha", "beta"], mine.Select(c => c.Definition.Name));
        Assert.Equal(CollectionKind.Faq, mine[1].Definition.Kind);
        Assert.Equal(Dimensions, mine[0].Definition.Dimensions);
        await Assert.ThrowsAsync<AlreadyExistsException>(() => Create(_tenant, "alpha"));

        Assert.True(await Store.DeleteCollectionAsync(new CollectionScope(_tenant, "alpha"), Ct));
        Assert.False(await Store.DeleteCollectionAsync(new CollectionScope(_tenant, "alpha"), Ct));
        Assert.Null(await Store.GetCollectionAsync(new CollectionScope(_tenant, "alpha"), Ct));
        Assert.NotNull(await Store.GetCollectionAsync(new CollectionScope(_other, "alpha"), Ct));
    }

    [Fact]
    public async Task ReplacingADocumentReplacesAllItsChunks()
    {
        var scope = await Create(_tenant, "docs");
        await Store.ReplaceDocumentAsync(scope, Doc("manual", DataClass.Public, ("first version about printers", 0), ("more about printers", 1), ("and scanners", 2)), Ct);
        await Store.ReplaceDocumentAsync(scope, Doc("manual", DataClass.Internal, ("second version about routers", 3)), Ct);

        var state = await Store.GetDocumentAsync(scope, "manual", Ct);
        Assert.Equal(1, state!.ChunkCount);
        Assert.Equal(DataClass.Internal, state.Label);
        var stats = await Store.GetCollectionAsync(scope, Ct);
        Assert.Equal((1, 1), (stats!.DocumentCount, stats.ChunkCount));
        Assert.Empty(await Store.SearchKeywordAsync(scope, "printers", 10, ChunkFilter.None, Ct));
        Assert.Single(await Store.SearchKeywordAsync(scope, "routers", 10, ChunkFilter.None, Ct));
    }

    [Fact]
    public async Task VectorSearchRanksByCosineSimilarity()
    {
        var scope = await Create(_tenant, "vectors");
        await Store.ReplaceDocumentAsync(scope, Doc("a", DataClass.Public, ("axis zero", 0), ("axis one", 1)), Ct);
        await Store.ReplaceDocumentAsync(scope, Doc("b", DataClass.Public, ("axis two", 2), ("between zero and one", -1)), Ct);

        var hits = await Store.SearchVectorAsync(scope, Axis(0), 3, ChunkFilter.None, Ct);
        Assert.Equal(["a#0", "b#1"], hits.Take(2).Select(h => h.ChunkId));
        Assert.Equal(1.0, hits[0].Score, 4);
        Assert.Equal(Math.Sqrt(0.5), hits[1].Score, 4);
        Assert.Equal("axis zero", hits[0].Text);
    }

    [Fact]
    public async Task KeywordSearchScoresRareTermsHigher()
    {
        var scope = await Create(_tenant, "keywords");
        await Store.ReplaceDocumentAsync(scope, Doc("common", DataClass.Public, ("the invoice and the invoice total", 0)), Ct);
        await Store.ReplaceDocumentAsync(scope, Doc("rare", DataClass.Public, ("invoice with a refund", 1)), Ct);
        await Store.ReplaceDocumentAsync(scope, Doc("other", DataClass.Public, ("unrelated shipping text", 2)), Ct);

        var hits = await Store.SearchKeywordAsync(scope, "refund invoices", 10, ChunkFilter.None, Ct);
        Assert.Equal(["rare", "common"], hits.Select(h => h.DocumentId));
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task FiltersOnLabelAndMetadataInsideTheQuery()
    {
        var scope = await Create(_tenant, "filtered");
        await Store.ReplaceDocumentAsync(scope, Doc("public", DataClass.Public, ("policy text", 0)) with { }, Ct);
        await Store.ReplaceDocumentAsync(scope, Doc("secret", DataClass.Restricted, ("policy text", 0)), Ct);
        await Store.ReplaceDocumentAsync(scope, Doc("team", DataClass.Internal, ("policy text", 0), metadata: new() { ["team"] = "hr" }), Ct);

        var upToInternal = new ChunkFilter(DataClass.Internal, new Dictionary<string, string>());
        Assert.Equal(["public", "team"], (await Store.SearchVectorAsync(scope, Axis(0), 10, upToInternal, Ct)).Select(h => h.DocumentId).Order());
        Assert.Equal(["public", "team"], (await Store.SearchKeywordAsync(scope, "policy", 10, upToInternal, Ct)).Select(h => h.DocumentId).Order());
        var hr = new ChunkFilter(DataClass.Unspecified, new Dictionary<string, string> { ["team"] = "hr" });
        Assert.Equal(["team"], (await Store.SearchVectorAsync(scope, Axis(0), 10, hr, Ct)).Select(h => h.DocumentId));
        Assert.Equal(DataClass.Restricted, (await Store.SearchKeywordAsync(scope, "policy", 10, ChunkFilter.None, Ct)).Max(h => h.Label));
    }

    [Fact]
    public async Task UpdatingAttributesRelabelsEveryChunkWithoutTouchingVectors()
    {
        var scope = await Create(_tenant, "relabel");
        await Store.ReplaceDocumentAsync(scope, Doc("doc", DataClass.Public, ("alpha", 0), ("beta", 1)), Ct);
        var state = (await Store.GetDocumentAsync(scope, "doc", Ct))!;
        Assert.True(await Store.UpdateDocumentAttributesAsync(scope, state with { Label = DataClass.Confidential, Metadata = new Dictionary<string, string> { ["owner"] = "legal" } }, Ct));

        var hits = await Store.SearchVectorAsync(scope, Axis(1), 2, ChunkFilter.None, Ct);
        Assert.All(hits, h => Assert.Equal(DataClass.Confidential, h.Label));
        Assert.All(hits, h => Assert.Equal("legal", h.Metadata["owner"]));
        Assert.Equal(1.0, hits[0].Score, 4);
        Assert.Equal(state.ContentHash, (await Store.GetDocumentAsync(scope, "doc", Ct))!.ContentHash);
        Assert.False(await Store.UpdateDocumentAttributesAsync(scope, state with { Id = "absent" }, Ct));
    }

    [Fact]
    public async Task DeletingADocumentRemovesItsChunks()
    {
        var scope = await Create(_tenant, "deletes");
        await Store.ReplaceDocumentAsync(scope, Doc("gone", DataClass.Public, ("to be deleted", 0), ("also deleted", 1)), Ct);
        await Store.ReplaceDocumentAsync(scope, Doc("kept", DataClass.Public, ("kept text", 2)), Ct);

        Assert.Equal(2, await Store.DeleteDocumentAsync(scope, "gone", Ct));
        Assert.Null(await Store.DeleteDocumentAsync(scope, "gone", Ct));
        Assert.Null(await Store.GetDocumentAsync(scope, "gone", Ct));
        Assert.Equal(["kept"], (await Store.SearchVectorAsync(scope, Axis(0), 10, ChunkFilter.None, Ct)).Select(h => h.DocumentId));
    }

    [Fact]
    public async Task ATenantCannotReadOrDeleteAnotherTenantsDocumentsEvenByGuessingIds()
    {
        var mine = await Create(_tenant, "shared-name");
        var theirs = await Create(_other, "shared-name");
        await Store.ReplaceDocumentAsync(theirs, Doc("secret-plan", DataClass.Restricted, ("the merger closes in May", 0)), Ct);

        Assert.Empty(await Store.SearchKeywordAsync(mine, "merger", 10, ChunkFilter.None, Ct));
        Assert.Empty(await Store.SearchVectorAsync(mine, Axis(0), 10, ChunkFilter.None, Ct));
        Assert.Null(await Store.GetDocumentAsync(mine, "secret-plan", Ct));
        Assert.Null(await Store.DeleteDocumentAsync(mine, "secret-plan", Ct));
        Assert.False(await Store.UpdateDocumentAttributesAsync(mine, new DocumentState("secret-plan", "", DataClass.Public, new Dictionary<string, string>(), 0), Ct));
        Assert.False(await Store.DeleteCollectionAsync(new CollectionScope(_tenant, "not-mine"), Ct));

        var stillThere = await Store.SearchKeywordAsync(theirs, "merger", 10, ChunkFilter.None, Ct);
        Assert.Equal(DataClass.Restricted, Assert.Single(stillThere).Label);
        await Assert.ThrowsAsync<NotFoundException>(() => Store.SearchVectorAsync(new CollectionScope(_tenant, "only-theirs"), Axis(0), 1, ChunkFilter.None, Ct));
    }

    private async Task<CollectionScope> Create(string tenant, string name, CollectionKind kind = CollectionKind.Documents)
    {
        await Store.CreateCollectionAsync(tenant, new CollectionDefinition(name, kind, "test-encoder", Dimensions, 0.5, DateTimeOffset.UnixEpoch), Ct);
        return new CollectionScope(tenant, name);
    }

    /// <summary>A document whose chunks point along the given axes (-1: halfway between axes 0 and 1).</summary>
    protected static StoredDocument Doc(string id, DataClass label, params (string Text, int Axis)[] chunks) => Doc(id, label, chunks, null);

    protected static StoredDocument Doc(string id, DataClass label, (string Text, int Axis) chunk, Dictionary<string, string>? metadata) => Doc(id, label, [chunk], metadata);

    private static StoredDocument Doc(string id, DataClass label, (string Text, int Axis)[] chunks, Dictionary<string, string>? metadata)
    {
        var stored = chunks.Select((c, i) => new StoredChunk(i, "", c.Text, 0, c.Text.Length, c.Axis >= 0 ? Axis(c.Axis) : Between())).ToList();
        return new StoredDocument(new DocumentState(id, "hash-" + id + string.Concat(chunks.Select(c => c.Text)), label, metadata ?? [], stored.Count), stored);
    }

    protected static float[] Axis(int axis)
    {
        var vector = new float[Dimensions];
        vector[axis] = 1;
        return vector;
    }

    private static float[] Between()
    {
        var vector = new float[Dimensions];
        vector[0] = vector[1] = MathF.Sqrt(0.5f);
        return vector;
    }
}
