using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Quality.Calibration;

namespace HybridAI.Governance.Policies;

public static partial class PolicyValidator
{
    private static void CheckThresholds(TenantPolicy policy, List<Problem> problems)
    {
        if (policy.Thresholds is { } t)
        {
            if (t.HasNeedsLlm && t.NeedsLlm is not (>= 0 and <= 1))
            {
                problems.Add(new("thresholds.needs_llm", $"must be between 0 and 1, but is {t.NeedsLlm}."));
            }

            if (t.HasFaqScore && t.FaqScore is not (>= 0 and <= 1))
            {
                problems.Add(new("thresholds.faq_score", $"must be between 0 and 1, but is {t.FaqScore}."));
            }

            if (t.HasCascadeMinMeanLogprob && t.CascadeMinMeanLogprob is not (>= -100 and <= 0))
            {
                problems.Add(new("thresholds.cascade_min_mean_logprob", $"must be between -100 and 0, but is {t.CascadeMinMeanLogprob}."));
            }
        }

        if (policy.Calibration is { } c)
        {
            if (c.Target.Length > 0 && !CalibrationTarget.TryParse(c.Target, out _, out var error))
            {
                problems.Add(new("calibration.target", error));
            }
            else if (c.Target.Length == 0 && (c.Enabled || c.AutoApply))
            {
                problems.Add(new("calibration.target", "is required when calibration is enabled or auto-applied (e.g. \"parity>=0.95\" or \"llm-share<=0.30\")."));
            }
        }
    }
}
