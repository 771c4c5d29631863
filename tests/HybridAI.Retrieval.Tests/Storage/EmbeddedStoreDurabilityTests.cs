using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Storage.Embedded;
using HybridAI.Retrieval.Tenancy;
using HybridAI.Retrieval.Tests.Service;

namespace HybridAI.Retrieval.Tests.Storage;

public sealed class EmbeddedStoreDurabilityTests
{
    private static readonly CollectionScope Scope = new("acme", "docs");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverythingAcknowledgedSurvivesAReopen()
    {
        var folder = TempFolder.Create();
        using (var store = new EmbeddedVectorStore(folder))
        {
            await Seed(store);
            await store.DeleteDocumentAsync(Scope, "two", Ct);
            var one = (await store.GetDocumentAsync(Scope, "one", Ct))!;
            await store.UpdateDocumentAttributesAsync(Scope, one with { Label = DataClass.Confidential }, Ct);
        }

        using var reopened = new EmbeddedVectorStore(folder);
        Assert.Equal(DataClass.Confidential, (await reopened.GetDocumentAsync(Scope, "one", Ct))!.Label);
        Assert.Null(await reopened.GetDocumentAsync(Scope, "two", Ct));
        Assert.Equal("one", Assert.Single(await reopened.SearchKeywordAsync(Scope, "alpha", 5, ChunkFilter.None, Ct)).DocumentId);
    }

    [Fact]
    public async Task AWriteCutAtAnyByteIsDroppedWholeAndTheStoreReopensAndAcceptsWrites()
    {
        var folder = TempFolder.Create();
        long before, after;
        using (var store = new EmbeddedVectorStore(folder))
        {
            await Seed(store);
            before = store.WalBytes;
            await store.ReplaceDocumentAsync(Scope, Document("three", "gamma rays", 2), Ct);
            after = store.WalBytes;
        }

        var wal = Path.Combine(folder, EmbeddedVectorStore.WalFile);
        var complete = await File.ReadAllBytesAsync(wal, Ct);
        // A crash during the last append leaves any prefix of it on disk.
        for (var cut = before; cut < after; cut += Math.Max(1, (after - before) / 40))
        {
            await File.WriteAllBytesAsync(wal, complete.AsMemory(0, (int)cut), Ct);
            using var store = new EmbeddedVectorStore(folder);
            Assert.Null(await store.GetDocumentAsync(Scope, "three", Ct));
            Assert.NotNull(await store.GetDocumentAsync(Scope, "two", Ct));
            Assert.Equal(before, store.WalBytes);
        }

        using (var store = new EmbeddedVectorStore(folder))
        {
            await store.ReplaceDocumentAsync(Scope, Document("four", "delta", 3), Ct);
        }

        using var last = new EmbeddedVectorStore(folder);
        Assert.NotNull(await last.GetDocumentAsync(Scope, "four", Ct));
        Assert.Null(await last.GetDocumentAsync(Scope, "three", Ct));
    }

    [Fact]
    public async Task GarbageAfterTheLastRecordIsDroppedOnOpen()
    {
        var folder = TempFolder.Create();
        using (var store = new EmbeddedVectorStore(folder))
        {
            await Seed(store);
        }

        await using (var wal = new FileStream(Path.Combine(folder, EmbeddedVectorStore.WalFile), FileMode.Append))
        {
            await wal.WriteAsync(new byte[] { 200, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9 }, Ct);
        }

        using var reopened = new EmbeddedVectorStore(folder);
        Assert.Equal(2, (await reopened.GetCollectionAsync(Scope, Ct))!.DocumentCount);
    }

    [Fact]
    public async Task CompactionKeepsTheStateAndACrashAfterTheSnapshotRenameLosesNothing()
    {
        var folder = TempFolder.Create();
        using (var store = new EmbeddedVectorStore(folder))
        {
            await Seed(store);
            await store.DeleteDocumentAsync(Scope, "one", Ct);
            await store.CompactAsync(Ct);
            await store.ReplaceDocumentAsync(Scope, Document("after", "written after compaction", 4), Ct);
        }

        using (var reopened = new EmbeddedVectorStore(folder))
        {
            Assert.Null(await reopened.GetDocumentAsync(Scope, "one", Ct));
            Assert.NotNull(await reopened.GetDocumentAsync(Scope, "two", Ct));
            Assert.NotNull(await reopened.GetDocumentAsync(Scope, "after", Ct));
        }

        // Simulate a crash between renaming a new snapshot into place and starting its log: the old log stays behind.
        var oldWal = await File.ReadAllBytesAsync(Path.Combine(folder, EmbeddedVectorStore.WalFile), Ct);
        using (var store = new EmbeddedVectorStore(folder))
        {
            await store.CompactAsync(Ct);
        }

        await File.WriteAllBytesAsync(Path.Combine(folder, EmbeddedVectorStore.WalFile), oldWal, Ct);
        using var recovered = new EmbeddedVectorStore(folder);
        Assert.Equal(2, (await recovered.GetCollectionAsync(Scope, Ct))!.DocumentCount);
        Assert.NotNull(await recovered.GetDocumentAsync(Scope, "after", Ct));
    }

    [Fact]
    public async Task AutomaticCompactionKeepsTheLogBounded()
    {
        var folder = TempFolder.Create();
        using var store = new EmbeddedVectorStore(folder, compactionBytes: 4096);
        await store.CreateCollectionAsync(Scope.Tenant, new CollectionDefinition(Scope.Collection, CollectionKind.Documents, "test", 8, 0, DateTimeOffset.UnixEpoch), Ct);
        for (var i = 0; i < 100; i++)
        {
            await store.ReplaceDocumentAsync(Scope, Document("same", $"version {i}", i % 8), Ct);
        }

        Assert.InRange(store.WalBytes, 1, 8192);
        Assert.Single(await store.SearchKeywordAsync(Scope, "version", 5, ChunkFilter.None, Ct));
        Assert.True(File.Exists(Path.Combine(folder, EmbeddedVectorStore.SnapshotFile)));
    }

    [Fact]
    public void ASecondProcessCannotOpenTheSameFolder()
    {
        var folder = TempFolder.Create();
        using var first = new EmbeddedVectorStore(folder);
        var error = Assert.Throws<IOException>(() => new EmbeddedVectorStore(folder));
        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADamagedSnapshotRefusesToOpenWithTheFileNamed()
    {
        var folder = TempFolder.Create();
        using (var store = new EmbeddedVectorStore(folder))
        {
            await Seed(store);
            await store.CompactAsync(Ct);
        }

        var snapshot = Path.Combine(folder, EmbeddedVectorStore.SnapshotFile);
        var bytes = await File.ReadAllBytesAsync(snapshot, Ct);
        bytes[^5] ^= 0xFF;
        await File.WriteAllBytesAsync(snapshot, bytes, Ct);
        var error = Assert.Throws<InvalidDataException>(() => new EmbeddedVectorStore(folder));
        Assert.Contains(EmbeddedVectorStore.SnapshotFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExactSearchOverManyChunksFindsTheNearest()
    {
        using var store = new EmbeddedVectorStore(TempFolder.Create());
        await store.CreateCollectionAsync("acme", new CollectionDefinition("big", CollectionKind.Documents, "test", 32, 0, DateTimeOffset.UnixEpoch), Ct);
        var scope = new CollectionScope("acme", "big");
        var random = new Random(7);
        float[] target = [];
        for (var d = 0; d < 400; d++)
        {
            var chunks = Enumerable.Range(0, 100).Select(i =>
            {
                var v = Enumerable.Range(0, 32).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
                VectorMath.Normalize(v);
                return new StoredChunk(i, "", $"chunk {d}/{i}", 0, 1, v);
            }).ToList();
            if (d == 123)
            {
                target = chunks[45].Vector;
            }

            await store.ReplaceDocumentAsync(scope, new StoredDocument(new DocumentState($"d{d}", "h", DataClass.Public, new Dictionary<string, string>(), 100), chunks), Ct);
        }

        var hits = await store.SearchVectorAsync(scope, target, 5, ChunkFilter.None, Ct);
        Assert.Equal("d123#45", hits[0].ChunkId);
        Assert.Equal(1.0, hits[0].Score, 4);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    private static async Task Seed(EmbeddedVectorStore store)
    {
        await store.CreateCollectionAsync(Scope.Tenant, new CollectionDefinition(Scope.Collection, CollectionKind.Documents, "test", 8, 0, DateTimeOffset.UnixEpoch), Ct);
        await store.ReplaceDocumentAsync(Scope, Document("one", "alpha text", 0), Ct);
        await store.ReplaceDocumentAsync(Scope, Document("two", "beta text", 1), Ct);
    }

    private static StoredDocument Document(string id, string text, int axis)
    {
        var vector = new float[8];
        vector[axis] = 1;
        return new StoredDocument(new DocumentState(id, "hash-" + text, DataClass.Public, new Dictionary<string, string>(), 1), [new StoredChunk(0, "", text, 0, text.Length, vector)]);
    }
}
