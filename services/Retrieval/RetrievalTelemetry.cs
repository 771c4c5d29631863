using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HybridAI.Retrieval;

/// <summary>
/// retrieval's meter and activity source (<c>HybridAI.Retrieval</c>, collected by ServiceDefaults). Tags are
/// low-cardinality outcomes and modes; never tenant data, queries or document ids.
/// </summary>
public static class RetrievalTelemetry
{
    public const string Name = "HybridAI.Retrieval";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Collections created and deleted (operation).</summary>
    public static readonly Counter<long> Collections = Meter.CreateCounter<long>("hybridai.retrieval.collections", "{collection}");

    /// <summary>Documents and FAQ pairs ingested, by status (indexed, updated, unchanged, failed).</summary>
    public static readonly Counter<long> Documents = Meter.CreateCounter<long>("hybridai.retrieval.ingest.documents", "{document}");

    /// <summary>Chunks embedded and stored.</summary>
    public static readonly Counter<long> Chunks = Meter.CreateCounter<long>("hybridai.retrieval.ingest.chunks", "{chunk}");

    /// <summary>Search duration by mode (hybrid, vector, keyword).</summary>
    public static readonly Histogram<double> SearchDuration = Meter.CreateHistogram<double>("hybridai.retrieval.search.duration", "s",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    /// <summary>FAQ match attempts by result (match, no_match).</summary>
    public static readonly Counter<long> FaqMatches = Meter.CreateCounter<long>("hybridai.retrieval.faq.matches", "{match}");
}
