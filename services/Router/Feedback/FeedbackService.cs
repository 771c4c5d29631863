using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Router.Errors;
using HybridAI.Router.Privacy;
using HybridAI.Router.Requests;
using HybridAI.Router.Signals;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Feedback;

/// <summary>
/// A user's rating of a routed response, shared by <c>POST /v1/hybrid/feedback</c> and the gRPC <c>SubmitFeedback</c>:
/// validated here, its comment stripped of PII (governance stores no raw personal data), and recorded by governance
/// against the tenant's routing receipt. The tenant is the caller's, so another tenant's response id is simply unknown.
/// </summary>
public sealed class FeedbackService(
    GovernanceService.GovernanceServiceClient governance, IPiiScanner scanner, IRedactionFactory redactions, IOptions<RouterOptions> options)
{
    public const string ResponseIdPrefix = "chatcmpl-";
    public const int MaxCommentLength = 2000;

    public async Task<FeedbackOutcome> SubmitAsync(Caller caller, string? responseId, int? rating, string? comment, CancellationToken cancellationToken)
    {
        var problems = new List<(string Field, string Message)>();
        if (string.IsNullOrWhiteSpace(responseId))
        {
            problems.Add(("response_id", "is required: the id of a chat completion (chatcmpl-…)."));
        }

        if (rating is null)
        {
            problems.Add(("rating", "is required: -1 (worse), 0 (neutral) or 1 (good)."));
        }
        else if (rating is < -1 or > 1)
        {
            problems.Add(("rating", $"must be -1, 0 or 1, but is {rating}."));
        }

        if (comment is { Length: > MaxCommentLength })
        {
            problems.Add(("comment", $"must be at most {MaxCommentLength} characters, but has {comment.Length}."));
        }

        if (problems.Count > 0)
        {
            var message = $"The feedback is invalid: {string.Join(" ", problems.Select(p => $"{p.Field} {p.Message}"))}";
            throw new RoutingException(FailureKind.InvalidArgument, "invalid_feedback", message, problems[0].Field) { Problems = problems };
        }

        var id = responseId!.Trim();
        if (!id.StartsWith(ResponseIdPrefix, StringComparison.Ordinal) || id.Length == ResponseIdPrefix.Length)
        {
            throw NotFound(id);
        }

        var request = new SubmitFeedbackRequest
        {
            TenantId = caller.TenantId,
            RequestId = id[ResponseIdPrefix.Length..],
            Rating = rating!.Value,
            Comment = Redact(comment ?? ""),
        };
        try
        {
            var response = await governance.SubmitFeedbackAsync(request, deadline: DateTime.UtcNow.Add(options.Value.GovernanceTimeout),
                cancellationToken: cancellationToken);
            return new FeedbackOutcome(id, response.Rating, response.Replaced);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw NotFound(id);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            throw RoutingException.Invalid("", e.Status.Detail, "invalid_feedback");
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            throw RoutingException.Unavailable("governance_unavailable",
                $"The feedback could not be recorded by governance ({e.StatusCode}: {e.Status.Detail}); retry shortly.", TimeSpan.FromSeconds(1), e);
        }
    }

    /// <summary>Every PII finding in the comment replaced by its typed placeholder (the values are not kept).</summary>
    private string Redact(string comment)
    {
        var findings = scanner.Detect(comment);
        return findings.Count == 0 ? comment : redactions.Begin().Redact(comment, findings, []);
    }

    private static RoutingException NotFound(string id) => new(FailureKind.NotFound, "response_not_found",
        $"No response '{id}' of this tenant is recorded. Rate a chat completion by its id; a response's receipt reaches governance within moments of the answer.",
        "response_id");
}

/// <summary>The recorded rating of a response.</summary>
public sealed record FeedbackOutcome(string ResponseId, int Rating, bool Replaced);
