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

        var entry = new Entry(FetchAsync(apiKey), DateTimeOffset.MaxValue);
        var winner = _entries.AddOrUpdate(id, entry, (_, existing) => existing == cached ? entry : existing);
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

    private async Task<AuthorizeKeyResponse?> FetchAsync(string apiKey)
    {
        try
        {
            return await client.AuthorizeKeyAsync(new AuthorizeKeyRequest { ApiKey = apiKey },
                deadline: DateTime.UtcNow.Add(options.Value.CallTimeout));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
        {
            return null;
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
