using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Llm.V1;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Client.Budgets;

/// <summary>
/// Budget escrow for the router: reserve the worst case before dispatch, settle to the actual cost after, release
/// on failure. <see cref="BudgetReservation"/> releases itself when disposed unsettled, so
/// <c>await using var r = await budget.ReserveAsync(…); …; await r.SettleAsync(actual);</c> is all a caller writes.
/// </summary>
public sealed class BudgetClient(GovernanceService.GovernanceServiceClient client, IOptions<GovernanceClientOptions> options)
{
    /// <summary>prompt tokens × input price + max output tokens × output price, rounded up, in micro-dollars.</summary>
    public static long WorstCaseMicros(int promptTokens, int maxOutputTokens, ModelPrice price) =>
        CostMicros(promptTokens, price.InputPerMtokMicros) + CostMicros(maxOutputTokens, price.OutputPerMtokMicros);

    /// <summary>The cost of actual usage (cached prompt tokens at the cached price when the model has one).</summary>
    public static long ActualMicros(TokenUsage usage, ModelPrice price)
    {
        var cached = price.CachedInputPerMtokMicros > 0 ? usage.CachedPromptTokens : 0;
        return CostMicros(usage.PromptTokens - cached, price.InputPerMtokMicros)
            + CostMicros(cached, price.CachedInputPerMtokMicros)
            + CostMicros(usage.CompletionTokens, price.OutputPerMtokMicros);
    }

    /// <summary>
    /// Reserves <paramref name="amountMicros"/> for <paramref name="requestId"/>. Throws <see cref="BudgetExhaustedException"/>
    /// (with governance's retry hint) when a budget would be exceeded; other failures surface as <see cref="RpcException"/>.
    /// </summary>
    public async Task<BudgetReservation> ReserveAsync(string tenantId, string requestId, long amountMicros, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.ReserveBudgetAsync(new ReserveBudgetRequest
            {
                TenantId = tenantId,
                RequestId = requestId,
                AmountMicros = amountMicros,
                TtlSeconds = (int)Math.Ceiling(ttl.TotalSeconds),
            }, deadline: Deadline(), cancellationToken: cancellationToken);
            return new BudgetReservation(this, tenantId, response.ReservationId, response.Budgets);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            var retry = e.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan() ?? TimeSpan.Zero;
            throw new BudgetExhaustedException(e.Status.Detail, retry, e);
        }
    }

    internal async Task<SettleBudgetResponse> SettleAsync(string tenantId, string reservationId, long actualMicros, CancellationToken cancellationToken) =>
        await client.SettleBudgetAsync(new SettleBudgetRequest { TenantId = tenantId, ReservationId = reservationId, ActualMicros = actualMicros },
            deadline: Deadline(), cancellationToken: cancellationToken);

    internal async Task ReleaseAsync(string tenantId, string reservationId, CancellationToken cancellationToken) =>
        await client.ReleaseBudgetAsync(new ReleaseBudgetRequest { TenantId = tenantId, ReservationId = reservationId },
            deadline: Deadline(), cancellationToken: cancellationToken);

    private DateTime Deadline() => DateTime.UtcNow.Add(options.Value.CallTimeout);

    private static long CostMicros(long tokens, long pricePerMillionMicros) =>
        tokens <= 0 || pricePerMillionMicros <= 0 ? 0 : (long)Math.Ceiling(tokens * (decimal)pricePerMillionMicros / 1_000_000m);
}

/// <summary>A held reservation. Settle it with the actual cost; disposing it unsettled releases it.</summary>
public sealed class BudgetReservation : IAsyncDisposable
{
    private readonly BudgetClient _client;
    private int _completed;

    internal BudgetReservation(BudgetClient client, string tenantId, string reservationId, IEnumerable<BudgetState> budgets)
    {
        _client = client;
        TenantId = tenantId;
        ReservationId = reservationId;
        Budgets = budgets.ToList();
    }

    public string TenantId { get; }

    public string ReservationId { get; }

    /// <summary>The budgets after the reservation (what remains for this tenant).</summary>
    public IReadOnlyList<BudgetState> Budgets { get; }

    public async Task<SettleBudgetResponse> SettleAsync(long actualMicros, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            throw new InvalidOperationException($"Reservation '{ReservationId}' was already settled or released.");
        }

        return await _client.SettleAsync(TenantId, ReservationId, actualMicros, cancellationToken);
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            await _client.ReleaseAsync(TenantId, ReservationId, cancellationToken);
        }
    }

    /// <summary>
    /// Releases an unsettled reservation. If governance is unreachable the reservation expires by itself at its TTL,
    /// so the error is not rethrown from a dispose.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync(CancellationToken.None);
        }
        catch (RpcException)
        {
            // Expires by itself; nothing is lost but a little headroom until then.
        }
    }
}

/// <summary>A reservation was refused because a budget would be exceeded.</summary>
public sealed class BudgetExhaustedException(string message, TimeSpan retryAfter, Exception inner) : Exception(message, inner)
{
    /// <summary>When the same reservation could succeed (the end of the period, or sooner when in-flight reservations end).</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
