using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Storage.Embedded.Records;
using HybridAI.Retrieval.Tenancy;

namespace HybridAI.Retrieval.Storage.Embedded;

/// <summary>
/// The in-process store for local mode and single nodes, persisted under a folder. Every change is one record appended
/// to a write-ahead log and flushed to disk (fsync) before it is applied in memory and acknowledged, so an acknowledged
/// change survives a crash and a change cut by a crash is dropped whole on the next start (<see cref="StoreLog"/>).
/// When the log outgrows the live data it is compacted into a new snapshot (written aside, flushed, then renamed into
/// place) and a fresh log. Collections are keyed by tenant, then name: a tenant's lookup never reaches another's.
/// One process owns the folder at a time (an exclusive lock file).
/// </summary>
public sealed partial class EmbeddedVectorStore : IVectorStore, IDisposable
{
    public const string SnapshotFile = "snapshot.log";
    public const string WalFile = "wal.log";
    public const string LockFile = "store.lock";
    private const int FormatVersion = 1;

    private readonly Dictionary<string, Dictionary<string, CollectionIndex>> _tenants = new(StringComparer.Ordinal);
    private readonly Lock _catalog = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _folder;
    private readonly long _compactionBytes;
    private readonly FileStream _lockFile;
    private readonly FileStream _wal;
    private long _generation;
    private long _snapshotBytes;
    private bool _failed;

    /// <summary>Opens (or creates) the store in <paramref name="folder"/>, replaying its snapshot and log.</summary>
    /// <param name="folder">The store's folder (created when missing).</param>
    /// <param name="logger">Where a dropped torn write is reported.</param>
    /// <param name="compactionBytes">Compact when the log exceeds this size and the snapshot.</param>
    public EmbeddedVectorStore(string folder, ILogger? logger = null, long compactionBytes = 64L * 1024 * 1024)
    {
        _folder = folder;
        _compactionBytes = compactionBytes;
        Directory.CreateDirectory(folder);
        try
        {
            _lockFile = new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The embedded store in {folder} is in use by another process ({LockFile} is locked); one process owns a store folder at a time.", e);
        }

        try
        {
            _wal = Open(logger);
        }
        catch
        {
            _lockFile.Dispose();
            throw;
        }
    }

    public string Folder => _folder;

    /// <summary>The write-ahead log's current size in bytes.</summary>
    public long WalBytes => _wal.Length;

    private FileStream Open(ILogger? logger)
    {
        var snapshotPath = Path.Combine(_folder, SnapshotFile);
        if (File.Exists(snapshotPath))
        {
            using var snapshot = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var result = StoreLog.Read(snapshot, record => Apply(record, fromSnapshot: true));
            if (result.Damage is not null)
            {
                // Snapshots are written aside and renamed into place only when complete, so damage here is not a torn write.
                throw new InvalidDataException($"The embedded store's snapshot {snapshotPath} is damaged at byte {result.ValidLength}: {result.Damage}. Restore the folder from a backup or delete it to start empty.");
            }

            _snapshotBytes = result.FileLength;
        }

        var walPath = Path.Combine(_folder, WalFile);
        var wal = new FileStream(walPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1);
        try
        {
            var header = (LogHeader?)null;
            var replay = new List<LogRecord>();
            var read = StoreLog.Read(wal, record =>
            {
                if (header is null && record.ChangeCase == LogRecord.ChangeOneofCase.Header)
                {
                    header = record.Header;
                }
                else
                {
                    replay.Add(record);
                }
            });

            if (header is null || header.Generation < _generation)
            {
                // No log yet, or a log the snapshot already contains (a compaction stopped after renaming the snapshot).
                ResetLog(wal);
                return wal;
            }

            if (header.Generation > _generation)
            {
                throw new InvalidDataException($"The embedded store's log {walPath} is of generation {header.Generation} but its snapshot of generation {_generation}; the snapshot is missing or old. Restore the folder from a backup.");
            }

            foreach (var record in replay)
            {
                Apply(record, fromSnapshot: false);
            }

            if (read.Damage is not null)
            {
                logger?.LogWarning("The embedded store's log {Path} ended in a write cut short ({Damage}); the last {Bytes} bytes, an unacknowledged change, were dropped.",
                    walPath, read.Damage, read.FileLength - read.ValidLength);
                wal.SetLength(read.ValidLength);
                wal.Flush(flushToDisk: true);
            }

            wal.Position = read.ValidLength;
            return wal;
        }
        catch
        {
            wal.Dispose();
            throw;
        }
    }

    private void ResetLog(FileStream wal)
    {
        wal.SetLength(0);
        wal.Position = 0;
        StoreLog.WriteMagic(wal);
        wal.Write(StoreLog.Frame(new LogRecord { Header = new LogHeader { FormatVersion = FormatVersion, Generation = _generation, Kind = "wal" } }));
        wal.Flush(flushToDisk: true);
    }

    public Task CreateCollectionAsync(string tenant, CollectionDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return CommitAsync(new LogRecord { CreateCollection = ToRecord(tenant, definition) }, () =>
            Find(new CollectionScope(tenant, definition.Name)) is null ? true : throw new AlreadyExistsException("collection", definition.Name),
            cancellationToken);
    }

    public Task<IReadOnlyList<CollectionStats>> ListCollectionsAsync(string tenant, CancellationToken cancellationToken)
    {
        List<CollectionIndex> indexes;
        lock (_catalog)
        {
            indexes = _tenants.TryGetValue(tenant, out var collections) ? [.. collections.Values] : [];
        }

        return Task.FromResult<IReadOnlyList<CollectionStats>>([.. indexes.Select(i => i.Stats()).OrderBy(s => s.Definition.Name, StringComparer.Ordinal)]);
    }

    public Task<CollectionStats?> GetCollectionAsync(CollectionScope scope, CancellationToken cancellationToken) =>
        Task.FromResult(Find(scope)?.Stats());

    public async Task<bool> DeleteCollectionAsync(CollectionScope scope, CancellationToken cancellationToken)
    {
        var deleted = false;
        await CommitAsync(new LogRecord { DeleteCollection = new CollectionRef { Tenant = scope.Tenant, Name = scope.Collection } },
            () => deleted = Find(scope) is not null, cancellationToken);
        return deleted;
    }

    public Task<DocumentState?> GetDocumentAsync(CollectionScope scope, string documentId, CancellationToken cancellationToken) =>
        Task.FromResult(Require(scope).GetDocument(documentId));

    public Task ReplaceDocumentAsync(CollectionScope scope, StoredDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var index = Require(scope);
        if (document.Chunks.FirstOrDefault(c => c.Vector.Length != index.Definition.Dimensions) is { } wrong)
        {
            throw new ArgumentException($"Chunk {wrong.Index} has {wrong.Vector.Length} dimensions; collection '{scope.Collection}' has {index.Definition.Dimensions}.", nameof(document));
        }

        return CommitAsync(new LogRecord { PutDocument = ToRecord(scope, document) }, () => Require(scope) is not null, cancellationToken);
    }

    public async Task<bool> UpdateDocumentAttributesAsync(CollectionScope scope, DocumentState attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var exists = false;
        var record = new DocumentAttributes { Tenant = scope.Tenant, Collection = scope.Collection, Id = attributes.Id, Label = (int)attributes.Label };
        foreach (var (key, value) in attributes.Metadata)
        {
            record.Metadata[key] = value;
        }

        await CommitAsync(new LogRecord { UpdateAttributes = record }, () => exists = Require(scope).GetDocument(attributes.Id) is not null, cancellationToken);
        return exists;
    }

    public async Task<int?> DeleteDocumentAsync(CollectionScope scope, string documentId, CancellationToken cancellationToken)
    {
        int? chunks = null;
        await CommitAsync(new LogRecord { DeleteDocument = new DocumentRef { Tenant = scope.Tenant, Collection = scope.Collection, Id = documentId } },
            () => (chunks = Require(scope).GetDocument(documentId)?.ChunkCount) is not null, cancellationToken);
        return chunks;
    }

    public Task<IReadOnlyList<ChunkHit>> SearchVectorAsync(CollectionScope scope, ReadOnlyMemory<float> query, int limit, ChunkFilter filter, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChunkHit>>(Require(scope).SearchVector(query.Span, limit, filter));

    public Task<IReadOnlyList<ChunkHit>> SearchKeywordAsync(CollectionScope scope, string query, int limit, ChunkFilter filter, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChunkHit>>(Require(scope).SearchKeyword(query, limit, filter));

    public void Dispose()
    {
        lock (_catalog)
        {
            foreach (var index in _tenants.Values.SelectMany(c => c.Values))
            {
                index.Dispose();
            }
        }

        _wal.Dispose();
        _lockFile.Dispose();
        _writer.Dispose();
    }

    private CollectionIndex? Find(CollectionScope scope)
    {
        lock (_catalog)
        {
            return _tenants.TryGetValue(scope.Tenant, out var collections) && collections.TryGetValue(scope.Collection, out var index) ? index : null;
        }
    }

    private CollectionIndex Require(CollectionScope scope) => Find(scope) ?? throw new NotFoundException("collection", scope.Collection);

    private static CollectionRecord ToRecord(string tenant, CollectionDefinition d) => new()
    {
        Tenant = tenant,
        Name = d.Name,
        Kind = (int)d.Kind,
        EmbeddingModel = d.EmbeddingModel,
        Dimensions = d.Dimensions,
        FaqThreshold = d.FaqThreshold,
        CreatedUnixMs = d.CreatedAt.ToUnixTimeMilliseconds(),
    };

    private static DocumentRecord ToRecord(CollectionScope scope, StoredDocument document)
    {
        var record = new DocumentRecord
        {
            Tenant = scope.Tenant,
            Collection = scope.Collection,
            Id = document.State.Id,
            ContentHash = document.State.ContentHash,
            Label = (int)document.State.Label,
        };
        foreach (var (key, value) in document.State.Metadata)
        {
            record.Metadata[key] = value;
        }

        foreach (var chunk in document.Chunks)
        {
            var c = new ChunkRecord { Index = chunk.Index, Title = chunk.Title, Text = chunk.Text, Start = chunk.Start, End = chunk.End };
            c.Vector.Add(chunk.Vector);
            record.Chunks.Add(c);
        }

        return record;
    }

    private static StoredDocument FromRecord(DocumentRecord record) => new(
        new DocumentState(record.Id, record.ContentHash, (DataClass)record.Label, new Dictionary<string, string>(record.Metadata, StringComparer.Ordinal), record.Chunks.Count),
        [.. record.Chunks.Select(c => new StoredChunk(c.Index, c.Title, c.Text, c.Start, c.End, [.. c.Vector]))]);

    private static CollectionDefinition FromRecord(CollectionRecord r) => new(
        r.Name, (CollectionKind)r.Kind, r.EmbeddingModel, r.Dimensions, r.FaqThreshold, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedUnixMs));
}
