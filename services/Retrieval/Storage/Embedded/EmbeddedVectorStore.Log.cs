using HybridAI.Retrieval.Storage.Embedded.Records;
using HybridAI.Retrieval.Tenancy;

namespace HybridAI.Retrieval.Storage.Embedded;

public sealed partial class EmbeddedVectorStore
{
    /// <summary>
    /// Checks <paramref name="precondition"/> (false: nothing to change) and appends <paramref name="record"/> (fsync) under the writer lock, then
    /// applies it in memory. A failed append is cut off the log again, so a later append never follows a torn frame.
    /// </summary>
    private async Task CommitAsync(LogRecord record, Func<bool> precondition, CancellationToken cancellationToken)
    {
        var frame = StoreLog.Frame(record);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            if (_failed)
            {
                throw new IOException($"The embedded store in {_folder} stopped accepting writes after a failed write it could not undo; restart the service.");
            }

            if (!precondition())
            {
                return;
            }

            var before = _wal.Position;
            try
            {
                await _wal.WriteAsync(frame, CancellationToken.None);
                _wal.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                Undo(before);
                throw;
            }

            Apply(record, fromSnapshot: false);
            if (_wal.Length > _compactionBytes && _wal.Length > _snapshotBytes)
            {
                Compact();
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    private void Undo(long length)
    {
        try
        {
            _wal.SetLength(length);
            _wal.Position = length;
            _wal.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            _failed = true;
        }
    }

    /// <summary>Applies one record to memory; replaying the same history twice gives the same state.</summary>
    private void Apply(LogRecord record, bool fromSnapshot)
    {
        switch (record.ChangeCase)
        {
            case LogRecord.ChangeOneofCase.Header:
                if (fromSnapshot)
                {
                    _generation = record.Header.Generation;
                }

                break;
            case LogRecord.ChangeOneofCase.CreateCollection:
                lock (_catalog)
                {
                    var r = record.CreateCollection;
                    if (!_tenants.TryGetValue(r.Tenant, out var collections))
                    {
                        _tenants[r.Tenant] = collections = new Dictionary<string, CollectionIndex>(StringComparer.Ordinal);
                    }

                    collections.TryAdd(r.Name, new CollectionIndex(FromRecord(r)));
                }

                break;
            case LogRecord.ChangeOneofCase.DeleteCollection:
                lock (_catalog)
                {
                    var r = record.DeleteCollection;
                    if (_tenants.TryGetValue(r.Tenant, out var collections) && collections.Remove(r.Name) && collections.Count == 0)
                    {
                        _tenants.Remove(r.Tenant);
                    }
                }

                break;
            case LogRecord.ChangeOneofCase.PutDocument:
                Find(new CollectionScope(record.PutDocument.Tenant, record.PutDocument.Collection))?.Replace(FromRecord(record.PutDocument));
                break;
            case LogRecord.ChangeOneofCase.DeleteDocument:
                Find(new CollectionScope(record.DeleteDocument.Tenant, record.DeleteDocument.Collection))?.Delete(record.DeleteDocument.Id);
                break;
            case LogRecord.ChangeOneofCase.UpdateAttributes:
                var a = record.UpdateAttributes;
                Find(new CollectionScope(a.Tenant, a.Collection))?.UpdateAttributes(new DocumentState(
                    a.Id, "", (Contracts.Common.V1.DataClass)a.Label, new Dictionary<string, string>(a.Metadata, StringComparer.Ordinal), 0));
                break;
            default:
                throw new InvalidDataException($"The embedded store's log has a record of unknown kind {record.ChangeCase}; it was written by a newer version.");
        }
    }

    /// <summary>
    /// Writes the live state as snapshot generation N+1 beside the old one, flushes it, renames it into place, then starts
    /// log N+1. A crash before the rename keeps snapshot N and log N; after it, log N is recognised as contained in the
    /// snapshot by its generation and replaced.
    /// </summary>
    private void Compact()
    {
        var generation = _generation + 1;
        var snapshotPath = Path.Combine(_folder, SnapshotFile);
        var temporary = snapshotPath + ".tmp";
        using (var snapshot = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            StoreLog.WriteMagic(snapshot);
            snapshot.Write(StoreLog.Frame(new LogRecord { Header = new LogHeader { FormatVersion = FormatVersion, Generation = generation, Kind = "snapshot" } }));
            List<(string Tenant, CollectionIndex Index)> all;
            lock (_catalog)
            {
                all = [.. _tenants.SelectMany(t => t.Value.Values.Select(i => (t.Key, i)))];
            }

            foreach (var (tenant, index) in all)
            {
                snapshot.Write(StoreLog.Frame(new LogRecord { CreateCollection = ToRecord(tenant, index.Definition) }));
                foreach (var document in index.Export())
                {
                    snapshot.Write(StoreLog.Frame(new LogRecord { PutDocument = ToRecord(new CollectionScope(tenant, index.Definition.Name), document) }));
                }
            }

            snapshot.Flush(flushToDisk: true);
            _snapshotBytes = snapshot.Length;
        }

        File.Move(temporary, snapshotPath, overwrite: true);
        _generation = generation;
        ResetLog(_wal);
    }

    /// <summary>Compacts now (tests, operations); normally done when the log outgrows the snapshot.</summary>
    public async Task CompactAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            Compact();
        }
        finally
        {
            _writer.Release();
        }
    }
}
