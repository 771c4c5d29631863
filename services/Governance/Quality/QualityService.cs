using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Receipts;
using HybridAI.Governance.Tenants;

namespace HybridAI.Governance.Quality;

/// <summary>
/// Feedback and shadow results: validates what the router sends, ties it to the tenant's receipt, and stores it. A
/// request id the tenant has no receipt for is NOT_FOUND, so one tenant can never rate (or learn of) another's responses.
/// </summary>
public sealed class QualityService(IQualityStore store, KnownTenants tenants, TimeProvider clock)
{
    public const int MaxCommentLength = 2000;
    public const int MaxBatch = 1000;
    public const int MaxVerdictLength = 500;

    /// <summary>The window <see cref="ObservationsAsync"/> reads when none is given, ending now.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    /// <summary>Observations as the admin API writes them: snake_case like the rest of it, nulls kept (null means "not observed").</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
    };

    public async Task<SubmitFeedbackResponse> SubmitFeedbackAsync(SubmitFeedbackRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        TenantRules.CheckTenantId("tenant_id", request.TenantId, problems);
        CheckRequestId("request_id", request.RequestId, problems);
        if (!request.HasRating)
        {
            problems.Add(new("rating", "is required: -1 (worse), 0 (neutral) or 1 (good)."));
        }
        else if (request.Rating is < -1 or > 1)
        {
            problems.Add(new("rating", $"must be -1, 0 or 1, but is {request.Rating}."));
        }

        if (request.Comment.Length > MaxCommentLength)
        {
            problems.Add(new("comment", $"must be at most {MaxCommentLength} characters, but has {request.Comment.Length}."));
        }

        Throw.IfAny("The feedback", problems);
        await tenants.RequireAsync(request.TenantId, cancellationToken);
        var recorded = await store.RecordFeedbackAsync(request.TenantId, request.RequestId, request.Rating, request.Comment, clock.GetUtcNow(), cancellationToken)
            ?? throw new NotFoundException("response", $"chatcmpl-{request.RequestId}");
        GovernanceTelemetry.Feedback.Add(1, new("tenant", request.TenantId), new("rating", request.Rating));
        return new SubmitFeedbackResponse
        {
            RequestId = request.RequestId,
            Rating = request.Rating,
            Replaced = recorded.Replaced,
            Time = Timestamp.FromDateTimeOffset(recorded.Time),
        };
    }

    public async Task<RecordShadowResultsResponse> RecordShadowResultsAsync(RecordShadowResultsRequest request, CancellationToken cancellationToken)
    {
        if (request.Results.Count > MaxBatch)
        {
            Throw.IfAny("The batch", [new Problem("results", $"may hold at most {MaxBatch} results, but holds {request.Results.Count}.")]);
        }

        var response = new RecordShadowResultsResponse();
        var valid = new List<ShadowResult>(request.Results.Count);
        var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        for (var i = 0; i < request.Results.Count; i++)
        {
            var result = request.Results[i];
            var reason = await ProblemWithAsync(result, cancellationToken);
            if (reason is not null)
            {
                response.Rejected.Add(new RejectedReceipt { Index = i, RequestId = result.RequestId, Reason = reason });
                continue;
            }

            if (result.Time is null || result.Verdict.Length > MaxVerdictLength)
            {
                result = result.Clone();
                result.Time ??= now;
                result.Verdict = result.Verdict.Length > MaxVerdictLength ? result.Verdict[..MaxVerdictLength] : result.Verdict;
            }

            valid.Add(result);
        }

        if (valid.Count > 0)
        {
            await store.RecordShadowResultsAsync(valid, cancellationToken);
        }

        foreach (var result in valid)
        {
            GovernanceTelemetry.ShadowResults.Add(1, new KeyValuePair<string, object?>("tenant", result.TenantId));
            GovernanceTelemetry.ShadowParity.Record(result.Parity, new KeyValuePair<string, object?>("tenant", result.TenantId));
        }

        response.Accepted = valid.Count;
        return response;
    }

    /// <summary>The tenant's observations in a range (the calibration's samples; see <see cref="IQualityStore.ReadAsync"/>).</summary>
    public async Task<IReadOnlyList<QualityObservation>> ObservationsAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (from >= to)
        {
            Throw.IfAny("The quality request", [new Problem("from", $"must be before to ({from:O} is not before {to:O}).")]);
        }
        else if (to - from > Reports.ReportService.MaxRange)
        {
            Throw.IfAny("The quality request", [new Problem("to", $"the range may span at most {Reports.ReportService.MaxRange.TotalDays} days.")]);
        }

        await tenants.RequireAsync(tenantId, cancellationToken);
        var rows = new List<QualityObservation>();
        await foreach (var row in store.ReadAsync(tenantId, from, to, cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async ValueTask<string?> ProblemWithAsync(ShadowResult result, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(result.RequestId) || result.RequestId.Length > ReceiptService.MaxIdLength)
        {
            problems.Add($"request_id is required (1-{ReceiptService.MaxIdLength} characters)");
        }

        if (!TenantRules.TenantId().IsMatch(result.TenantId))
        {
            problems.Add("tenant_id is not a valid tenant id");
        }
        else if (!await tenants.ExistsAsync(result.TenantId, cancellationToken))
        {
            problems.Add($"tenant '{result.TenantId}' does not exist");
        }

        if (!(result.Parity is >= 0 and <= 1))
        {
            problems.Add($"parity must be within 0..1, not {result.Parity}");
        }

        if (result.ShadowCostMicros < 0 || result.JudgeCostMicros < 0)
        {
            problems.Add("costs must not be negative");
        }

        if (result.Judge.Length is 0 or > 200)
        {
            problems.Add("judge is required (at most 200 characters)");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems) + ".";
    }

    private static void CheckRequestId(string field, string value, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > ReceiptService.MaxIdLength)
        {
            problems.Add(new(field, $"is required (1-{ReceiptService.MaxIdLength} characters)."));
        }
    }
}
