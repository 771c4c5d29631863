using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Client.Keys;

/// <summary>
/// The edge's key check: asks governance's AuthorizeKey once per key and caches the answer for
/// min(<c>cache_seconds</c> from governance, <c>GovernanceClient:MaxKeyCacheSeconds</c>), so a revoked key stops
/// working within that bound. Invalid keys are cached for <c>InvalidKeyCacheSeconds</c> so a flood of bad keys does
/// not reach governance. Entries are keyed by a SHA-256 of the key (raw keys are not kept as dictionary keys);
/// concurrent misses for one key share one call; the cache holds at most <c>MaxCachedKeys</c> entries.
/// </summary>
public sealed class ApiKeyAuthorizationCache(
    GovernanceService.GovernanceServiceClient client, IOptions<GovernanceClientOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The key's tenant and limits, or null when governance says the key is not valid.</summary>
    public async Task<AuthorizeKeyResponse?> AuthorizeAsync(string apiKey, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(id, out var cached) && (!cached.Answer.IsCompleted || cached.ExpiresAt > now))
        {
            return await cached.Answer.WaitAsync(cancellationToken);
        }

        var fetch = new TaskCompletionSource<AuthorizeKeyResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = new Entry(fetch.Task, DateTimeOffset.MaxValue);
        var winner = _entries.AddOrUpdate(id, entry, (_, existing) => existing == cached ? entry : existing);
        if (ReferenceEquals(winner, entry))
        {
            // Only the caller whose entry won asks governance; concurrent callers await the same answer.
            _ = FetchIntoAsync(fetch, apiKey);
        }
        try
        {
            var answer = await winner.Answer.WaitAsync(cancellationToken);
            if (ReferenceEquals(winner, entry))
            {
                var seconds = answer is null ? options.Value.InvalidKeyCacheSeconds : Math.Min(answer.CacheSeconds, options.Value.MaxKeyCacheSeconds);
                _entries[id] = winner with { ExpiresAt = clock.GetUtcNow().AddSeconds(seconds) };
                Trim();
            }

            return answer;
        }
        catch (RpcException)
        {
            // Not cached: the next request asks again.
            _entries.TryRemove(KeyValuePair.Create(id, winner));
            throw;
        }
    }

    /// <summary>Forgets every cached answer (e.g. after an operator revoked keys and cannot wait for the bound).</summary>
    public void Clear() => _entries.Clear();

    private async Task FetchIntoAsync(TaskCompletionSource<AuthorizeKeyResponse?> fetch, string apiKey)
    {
        try
        {
            fetch.SetResult(await client.AuthorizeKeyAsync(new AuthorizeKeyRequest { ApiKey = apiKey },
                deadline: DateTime.UtcNow.Add(options.Value.CallTimeout)));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
        {
            fetch.SetResult(null);
        }
        catch (Exception e)
        {
            // Hand every other failure to the callers awaiting this answer; they see it as their own call's failure.
            fetch.SetException(e);
        }
    }

    private void Trim()
    {
        if (_entries.Count <= options.Value.MaxCachedKeys)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var (id, e) in _entries)
        {
            if (e.Answer.IsCompleted && e.ExpiresAt <= now)
            {
                _entries.TryRemove(id, out _);
            }
        }

        // Still over the bound: drop arbitrary entries; they are re-fetched on use.
        foreach (var id in _entries.Keys.Take(_entries.Count - options.Value.MaxCachedKeys))
        {
            _entries.TryRemove(id, out _);
        }
    }

    private sealed record Entry(Task<AuthorizeKeyResponse?> Answer, DateTimeOffset ExpiresAt);
}
