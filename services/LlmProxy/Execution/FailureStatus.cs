using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Providers;

namespace HybridAI.LlmProxy.Execution;

/// <summary>One target that failed in a chain: its classified failure, or an open breaker with no failure of its own.</summary>
internal readonly record struct ChainFailure(CatalogueEntry Entry, UpstreamException? Failure, TimeSpan? CircuitRetryAfter);

/// <summary>
/// The gRPC status of a request no target could serve. When every target failed the same way the caller gets that
/// failure's status (429 → RESOURCE_EXHAUSTED with RetryInfo, timeouts → DEADLINE_EXCEEDED, 401 → UNAUTHENTICATED,
/// 403 → PERMISSION_DENIED, 404 → NOT_FOUND, other 4xx → INVALID_ARGUMENT); a mix is UNAVAILABLE. Details always
/// carry a <see cref="CompletionFailure"/> with every attempt.
/// </summary>
internal static class FailureStatus
{
    private static readonly TimeSpan DefaultRateLimitRetry = TimeSpan.FromSeconds(1);

    public static RpcException AllFailed(IReadOnlyList<TargetAttempt> attempts, IReadOnlyList<ChainFailure> failures)
    {
        var codes = failures.Select(f => CodeOf(f.Failure)).Distinct().ToList();
        var code = codes.Count == 1 ? codes[0] : Code.Unavailable;
        var summary = string.Join("; ", attempts.Select(a => $"{a.Target}: {(a.Outcome == "circuit_open" ? "circuit open" : a.Error)}"));
        var message = failures.Count == 1 && attempts.Count == 1
            ? $"Target {summary}"
            : $"No allowed target could serve the request ({attempts.Count} tried or skipped): {summary}";

        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        if (RetryAfter(code, failures) is { } retry)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retry) }));
        }

        if (code == Code.NotFound)
        {
            var last = failures[^1].Entry;
            status.Details.Add(Any.Pack(new ResourceInfo
            {
                ResourceType = "upstream-model",
                ResourceName = last.UpstreamModel,
                Owner = last.Id,
                Description = "the provider does not know this model or deployment; check the catalogue entry",
            }));
        }

        var detail = new CompletionFailure();
        detail.Attempts.AddRange(attempts);
        status.Details.Add(Any.Pack(detail));
        return status.ToRpcException();
    }

    /// <summary>A stream that failed after content was sent: the failure's status, with the accounted partial usage.</summary>
    public static RpcException PartialStream(UpstreamException failure, CatalogueEntry entry, int tokensSent, CompletionFailure detail)
    {
        var code = CodeOf(failure);
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = $"The stream from '{entry.Id}' failed after {tokensSent} completion tokens had been sent, so it could not move to another target: {failure.Message}. The tokens sent are accounted in the CompletionFailure detail.",
        };
        status.Details.Add(Any.Pack(detail));
        return status.ToRpcException();
    }

    private static Code CodeOf(UpstreamException? failure) => failure?.Kind switch
    {
        null => Code.Unavailable,
        UpstreamFailureKind.RateLimited => Code.ResourceExhausted,
        UpstreamFailureKind.Timeout => Code.DeadlineExceeded,
        UpstreamFailureKind.Unauthorized => Code.Unauthenticated,
        UpstreamFailureKind.Forbidden => Code.PermissionDenied,
        UpstreamFailureKind.NotFound => Code.NotFound,
        UpstreamFailureKind.Rejected => Code.InvalidArgument,
        _ => Code.Unavailable,
    };

    private static TimeSpan? RetryAfter(Code code, IReadOnlyList<ChainFailure> failures)
    {
        var hints = failures
            .Select(f => f.Failure is { Kind: UpstreamFailureKind.RateLimited } r ? r.RetryAfter ?? DefaultRateLimitRetry : f.CircuitRetryAfter)
            .Where(t => t is not null)
            .Select(t => t!.Value)
            .ToList();
        return code is Code.ResourceExhausted or Code.Unavailable && hints.Count > 0 ? hints.Min() : null;
    }
}
