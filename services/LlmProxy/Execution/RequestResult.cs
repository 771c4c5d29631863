using HybridAI.LlmProxy.Telemetry;

namespace HybridAI.LlmProxy.Execution;

/// <summary>How a Complete or Stream call ended; reported to telemetry exactly once, when the call is over.</summary>
internal sealed class RequestResult
{
    /// <summary>ok, failed, partial, cancelled, or aborted (left before any of those was recorded).</summary>
    public string Outcome { get; private set; } = "aborted";

    /// <summary>The target that served, or that was streaming when the call ended.</summary>
    public string? Model { get; private set; }

    public ChatOutcome? Usage { get; private set; }

    public long CostMicros { get; private set; }

    public void Ended(string outcome, string model, ChatOutcome usage, long costMicros)
    {
        Outcome = outcome;
        Model = model;
        Usage = usage;
        CostMicros = costMicros;
    }

    public void Failed() => Outcome = "failed";
}
