using System.Text.Json;

namespace HybridAI.Reliability.Tests.Harness;

/// <summary>Reads governance's ledger through the admin API.</summary>
public static class Ledger
{
    /// <summary>Waits (bounded) until a receipt of every request id is in the tenant's ledger; returns them by request id.</summary>
    public static async Task<Dictionary<string, JsonElement>> WaitForReceiptsAsync(
        Stack stack, string tenant, IEnumerable<string> requestIds, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var wanted = requestIds.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            found.Clear();
            foreach (var receipt in await ReceiptsAsync(stack, tenant, cancellationToken))
            {
                var id = receipt.GetProperty("context").GetProperty("request_id").GetString()!;
                if (wanted.Contains(id))
                {
                    found[id] = receipt;
                }
            }

            if (found.Count == wanted.Count || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Every receipt of <paramref name="tenant"/> in the ledger, duplicates of one request id included.</summary>
    public static async Task<List<JsonElement>> ReceiptsAsync(Stack stack, string tenant, CancellationToken cancellationToken)
    {
        using var admin = stack.AdminClient();
        var export = await admin.GetStringAsync(new Uri($"/admin/ledger/export?tenant={tenant}", UriKind.Relative), cancellationToken);
        var receipts = new List<JsonElement>();
        foreach (var line in export.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var record = JsonDocument.Parse(line);
            if (record.RootElement.GetProperty("kind").GetString() == "receipt")
            {
                receipts.Add(record.RootElement.GetProperty("record").Clone());
            }
        }

        return receipts;
    }

    /// <summary>The ledger's own verification (<c>GET /admin/ledger/verify</c>): status and body.</summary>
    public static async Task<(int Status, JsonElement Body)> VerifyAsync(Stack stack, CancellationToken cancellationToken)
    {
        using var admin = stack.AdminClient();
        using var response = await admin.GetAsync(new Uri("/admin/ledger/verify", UriKind.Relative), cancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return ((int)response.StatusCode, body.RootElement.Clone());
    }
}
