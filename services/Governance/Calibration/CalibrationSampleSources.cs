using HybridAI.Quality.Calibration;

namespace HybridAI.Governance.Calibration;

/// <summary>
/// The samples of several sources together: governance reads the quality store's (<see cref="QualityCalibrationSampleSource"/>)
/// and those added in process (<see cref="InMemoryCalibrationSampleSource"/>: simulations and tests; empty in production).
/// </summary>
public sealed class CalibrationSampleSources(IReadOnlyList<ICalibrationSampleSource> sources) : ICalibrationSampleSource
{
    public async Task<IReadOnlyList<CalibrationSample>> GetSamplesAsync(string tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var all = new List<CalibrationSample>();
        foreach (var source in sources)
        {
            all.AddRange(await source.GetSamplesAsync(tenantId, since, until, cancellationToken));
        }

        return all;
    }
}
