using HybridAI.Contracts.Common.V1;
using HybridAI.Router.Errors;
using HybridAI.Router.Requests;

namespace HybridAI.Router.Pipeline;

/// <summary>
/// What Explain returns: the signals, the decision with its reasons, the worst case the budget would reserve, and
/// the thresholds in force with their sources.
/// </summary>
public sealed record Explanation(Contracts.Common.V1.Signals Signals, RoutingDecision Decision, long ReserveMicros, IReadOnlyList<Policy.AppliedThreshold> Thresholds);

public sealed partial class RoutingPipeline
{
    /// <summary>
    /// The signals and the decision for a chat request, without executing anything: no model tier is called, no budget
    /// reserved, no cache read, no receipt written. A rule that tests the FAQ match does look it up in retrieval, as
    /// routing would. A blocked request is explained, not refused.
    /// </summary>
    public async Task<Explanation> ExplainAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var request = Begin(call);
        try
        {
            await PlanAsync(request, cancellationToken);
        }
        catch (RoutingException e) when (e.Kind == FailureKind.Blocked && request.Signals is not null)
        {
            request.Route = "blocked";
            request.Answer = "blocked";
        }

        var signals = request.Signals!.ToProto();
        return new Explanation(signals, request.ToDecision(), request.Route == "llm" ? request.ReservedMicros : 0, Thresholds(request).All);
    }
}
