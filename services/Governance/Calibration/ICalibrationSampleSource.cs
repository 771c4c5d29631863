using HybridAI.Quality.Calibration;

namespace HybridAI.Governance.Calibration;

/// <summary>
/// Where calibration reads a tenant's observed outcomes (shadow-judge results, feedback, labels) as samples: the
/// signals each request had, how the SLM answer compared with the LLM answer, and the cost of both paths.
/// </summary>
public interface ICalibrationSampleSource
{
    /// <summary>The tenant's samples observed in [<paramref name="since"/>, <paramref name="until"/>).</summary>
    Task<IReadOnlyList<CalibrationSample>> GetSamplesAsync(string tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}
