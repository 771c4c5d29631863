using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HybridAI.SlmInference.Telemetry;

/// <summary>
/// slm-inference's spans and metrics (<c>HybridAI.SlmInference</c>). Request spans follow the GenAI semantic conventions;
/// each batch has its own span linked to the requests it served. Every metric carries the execution provider.
/// </summary>
public sealed class InferenceTelemetry : IDisposable
{
    public const string Name = "HybridAI.SlmInference";

    private readonly Meter _meter;

    public InferenceTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(Name);
        QueueWait = _meter.CreateHistogram<double>("hybridai.inference.queue.wait", "s", "Time a text waited in the batch queue.");
        BatchSize = _meter.CreateHistogram<int>("hybridai.inference.batch.size", "{text}", "Texts per encoder batch.");
        BatchDuration = _meter.CreateHistogram<double>("hybridai.inference.batch.duration", "s", "Inference time of one encoder batch.");
        TokensPerSecond = _meter.CreateHistogram<double>("hybridai.inference.tokens_per_second", "{token}/s", "Tokens processed per second of inference, per batch or generation.");
        Tokens = _meter.CreateCounter<long>("hybridai.inference.tokens", "{token}", "Tokens processed (encoder input, generator prompt and output).");
        Errors = _meter.CreateCounter<long>("hybridai.inference.errors", "{error}", "Failed or refused requests by error.type.");
        RequestDuration = _meter.CreateHistogram<double>("gen_ai.server.request.duration", "s", "GenAI server request duration.");
        TimePerOutputToken = _meter.CreateHistogram<double>("gen_ai.server.time_per_output_token", "s", "Time per generated token after the first.");
        TimeToFirstToken = _meter.CreateHistogram<double>("gen_ai.server.time_to_first_token", "s", "Time to the first generated token.");
    }

    public static ActivitySource Source { get; } = new(Name);

    public Histogram<double> QueueWait { get; }

    public Histogram<int> BatchSize { get; }

    public Histogram<double> BatchDuration { get; }

    public Histogram<double> TokensPerSecond { get; }

    public Counter<long> Tokens { get; }

    public Counter<long> Errors { get; }

    public Histogram<double> RequestDuration { get; }

    public Histogram<double> TimePerOutputToken { get; }

    public Histogram<double> TimeToFirstToken { get; }

    /// <summary>Publishes one gauge point per loaded model, tagged with its kind and execution provider.</summary>
    public void ObserveModels(Func<IEnumerable<(string Model, string Kind, string Provider)>> models) =>
        _meter.CreateObservableGauge("hybridai.inference.models", () => models().Select(m => new Measurement<int>(1,
            new KeyValuePair<string, object?>("gen_ai.request.model", m.Model),
            new KeyValuePair<string, object?>("hybridai.model.kind", m.Kind),
            new KeyValuePair<string, object?>("hybridai.execution_provider", m.Provider))),
            "{model}", "Loaded models, one point each, with the execution provider they run on.");

    /// <summary>Publishes the texts waiting in each encoder's queue.</summary>
    public void ObserveQueueDepth(Func<IEnumerable<(string Model, int Depth)>> depths) =>
        _meter.CreateObservableGauge("hybridai.inference.queue.depth", () => depths().Select(d => new Measurement<int>(d.Depth,
            new KeyValuePair<string, object?>("gen_ai.request.model", d.Model))), "{text}", "Texts waiting for a batch.");

    public void Dispose() => _meter.Dispose();
}
