using System.Text.Json;
using Google.Protobuf;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Storage;
using Microsoft.Data.Sqlite;

namespace HybridAI.Governance.Tests.Ledger;

public sealed class SqliteAuditLedgerTests : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N"), "governance.db");
    private GovernanceDatabase _database;
    private SqliteAuditLedger _ledger;

    public SqliteAuditLedgerTests()
    {
        _database = new GovernanceDatabase(_path);
        _ledger = new SqliteAuditLedger(_database);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task AppendAsync(int count, string tenant = "acme", int from = 0)
    {
        var receipts = Enumerable.Range(from, count).Select(i => TestReceipts.Make(tenant, $"req-{i}", time: TestReceipts.Start.AddMinutes(i))).ToList();
        await _ledger.AppendReceiptsAsync(receipts, Ct);
    }

    [Fact]
    public async Task AppendedReceiptsFormAnIntactChain()
    {
        await AppendAsync(25);

        var result = await _ledger.VerifyAsync(Ct);

        Assert.True(result.Valid, result.Message);
        Assert.Equal((25L, 0L, 25L), (result.Records, result.FirstBrokenSequence, result.HeadSequence));
        Assert.Equal(64, result.HeadHash.Length);
    }

    [Fact]
    public async Task AReceiptIsAcceptedOncePerTenantAndRequestId()
    {
        await AppendAsync(3);
        var again = await _ledger.AppendReceiptsAsync([TestReceipts.Make("acme", "req-1"), TestReceipts.Make("acme", "req-9"), TestReceipts.Make("acme", "req-9")], Ct);

        Assert.Equal(new AppendResult(1, 2), again);
        Assert.Equal(4, (await _ledger.VerifyAsync(Ct)).Records);
    }

    [Fact]
    public async Task VerifyNamesTheFirstRecordWhoseContentWasAltered()
    {
        await AppendAsync(10);
        var altered = TestReceipts.Make("acme", "req-6", cost: 1, time: TestReceipts.Start.AddMinutes(6));
        Tamper("UPDATE ledger SET body = $b WHERE sequence = 7", ("$b", LedgerHash.Canonical(altered)));

        var result = await _ledger.VerifyAsync(Ct);

        Assert.False(result.Valid);
        Assert.Equal(7, result.FirstBrokenSequence);
        Assert.Contains("record 7", result.Message, StringComparison.Ordinal);
        Assert.Contains("altered", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyNamesTheRecordAfterOneThatWasRehashed()
    {
        await AppendAsync(10);
        var receipt = TestReceipts.Make("acme", "req-3", time: TestReceipts.Start.AddMinutes(3));
        receipt.Decision.Rule = "a-rule-that-never-matched";
        var altered = LedgerHash.Canonical(receipt);
        var previous = ReadHash(3);
        Tamper("UPDATE ledger SET body = $b, hash = $h WHERE sequence = 4",
            ("$b", altered), ("$h", LedgerHash.Compute(LedgerRecordKind.Receipt, 4, previous, altered)));

        var result = await _ledger.VerifyAsync(Ct);

        Assert.Equal(5, result.FirstBrokenSequence);
        Assert.Contains("re-linked", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyNamesARemovedRecord()
    {
        await AppendAsync(10);
        Tamper("DELETE FROM ledger WHERE sequence = 5");

        var result = await _ledger.VerifyAsync(Ct);

        Assert.Equal(6, result.FirstBrokenSequence);
        Assert.Contains("sequence 5 is missing", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCatchesReportColumnsEditedBesideTheHashedContent()
    {
        await AppendAsync(5);
        Tamper("UPDATE ledger SET cost_micros = 0, baseline_micros = 99999999 WHERE sequence = 2");

        var result = await _ledger.VerifyAsync(Ct);

        Assert.Equal(2, result.FirstBrokenSequence);
        Assert.Contains("edited", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheChainContinuesAcrossARestart()
    {
        await AppendAsync(5);
        await _database.DisposeAsync();
        _database = new GovernanceDatabase(_path);
        _ledger = new SqliteAuditLedger(_database);

        await AppendAsync(5, from: 5);

        var result = await _ledger.VerifyAsync(Ct);
        Assert.True(result.Valid, result.Message);
        Assert.Equal(10, result.Records);
    }

    [Fact]
    public async Task TwoWritersSharingTheDatabaseFileKeepOneIntactChain()
    {
        await using var otherDatabase = new GovernanceDatabase(_path);
        var other = new SqliteAuditLedger(otherDatabase);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? _ledger : other)
            .AppendReceiptsAsync([TestReceipts.Make("acme", $"req-{i}")], Ct)));

        var result = await _ledger.VerifyAsync(Ct);
        Assert.True(result.Valid, result.Message);
        Assert.Equal(40, result.Records);
    }

    [Fact]
    public async Task TheHashDoesNotDependOnTheOrderOfMapEntries()
    {
        var a = TestReceipts.Make("acme", "r");
        var b = a.Clone();
        b.Signals.ModelVersions.Clear();
        b.Signals.ModelVersions.Add("intent-head", "sha256:bb");
        b.Signals.ModelVersions.Add("encoder", "sha256:aa");

        Assert.Equal(LedgerHash.Canonical(a), LedgerHash.Canonical(b));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task AnExportedLineIsEnoughToRecomputeItsHash()
    {
        await AppendAsync(3);
        var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            await foreach (var entry in _ledger.ReadAsync(new LedgerQuery("acme", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1)), Ct))
            {
                LedgerExport.WriteLine(writer, entry);
                await writer.FlushAsync(Ct);
                writer.Reset();
                buffer.WriteByte((byte)'\n');
            }
        }

        var lines = System.Text.Encoding.UTF8.GetString(buffer.ToArray()).TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var receipt = JsonParser.Default.Parse<RoutingReceipt>(root.GetProperty("record").GetRawText());
            var recomputed = LedgerHash.Compute(LedgerRecordKind.Receipt, root.GetProperty("sequence").GetInt64(),
                Convert.FromHexString(root.GetProperty("previous_hash").GetString()!), LedgerHash.Canonical(receipt));
            Assert.Equal(root.GetProperty("hash").GetString(), LedgerHash.ToHex(recomputed));
            Assert.DoesNotContain("@", root.GetProperty("record").GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadingFiltersByTenantAndTimeRange()
    {
        await AppendAsync(10, "acme");
        await AppendAsync(10, "globex");

        var entries = new List<LedgerEntry>();
        await foreach (var e in _ledger.ReadAsync(new LedgerQuery("acme", TestReceipts.Start.AddMinutes(2), TestReceipts.Start.AddMinutes(5)), Ct))
        {
            entries.Add(e);
        }

        Assert.Equal(["req-2", "req-3", "req-4"], entries.Select(e => e.RequestId));
        Assert.All(entries, e => Assert.Equal("acme", e.TenantId));
    }

    private byte[] ReadHash(long sequence)
    {
        using var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT hash FROM ledger WHERE sequence = {sequence}";
        return (byte[])command.ExecuteScalar()!;
    }

    /// <summary>Edits the database behind the ledger's back, as an attacker with file access would.</summary>
    private void Tamper(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        Assert.Equal(1, command.ExecuteNonQuery());
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}
