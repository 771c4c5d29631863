using HybridAI.Contracts.Common.V1;

namespace HybridAI.Router.Signals;

/// <summary>
/// What the router measured about one request, computed once (<see cref="SignalExtractor"/>) and kept with it: the
/// policy, the cache, the receipt and Explain all read these.
/// </summary>
public sealed class RequestSignals
{
    public static readonly IReadOnlyDictionary<string, string> NoVersions = new Dictionary<string, string>();

    /// <summary>Prompt tokens (o200k, with OpenAI's message framing).</summary>
    public int PromptTokens { get; init; }

    public string Intent { get; init; } = "unknown";

    public double IntentConfidence { get; init; }

    /// <summary>Probability that only a large model answers well.</summary>
    public double NeedsLlm { get; init; }

    /// <summary>Prompt-injection / jailbreak score (the highest over the scored messages).</summary>
    public double GuardScore { get; init; }

    /// <summary>The class the PII findings alone give.</summary>
    public DataClass DetectedClass { get; init; } = DataClass.Public;

    /// <summary>
    /// The request's class: the detected class, raised by the caller's minimum and by the labels of retrieved chunks
    /// and FAQ answers. It only ever goes up.
    /// </summary>
    public DataClass DataClass { get; private set; } = DataClass.Public;

    public IReadOnlyList<MessageFinding> Findings { get; init; } = [];

    /// <summary>The text the heads scored: the last user message, PII replaced by typed placeholders, cut as documented.</summary>
    public string ClassificationText { get; init; } = "";

    public bool ClassificationTruncated { get; init; }

    /// <summary>The encoder's embedding of <see cref="ClassificationText"/> (L2-normalised), reused by the semantic cache.</summary>
    public float[]? Embedding { get; init; }

    /// <summary>Encoder and head versions (file hashes) that produced the signals.</summary>
    public IReadOnlyDictionary<string, string> ModelVersions { get; init; } = NoVersions;

    /// <summary>The FAQ match score, when a rule or the SLM tier looked one up.</summary>
    public double? FaqScore { get; set; }

    public bool HasFindings => Findings.Count > 0;

    /// <summary>Raises the data class (never lowers it).</summary>
    public void Raise(DataClass dataClass)
    {
        if (dataClass > DataClass)
        {
            DataClass = dataClass;
        }
    }

    /// <summary>The signals in the contract's shape (receipts, Explain). Findings carry types and spans, never values.</summary>
    public Contracts.Common.V1.Signals ToProto()
    {
        var proto = new Contracts.Common.V1.Signals
        {
            PromptTokens = PromptTokens,
            Intent = Intent,
            IntentConfidence = IntentConfidence,
            NeedsLlmProbability = NeedsLlm,
            DataClass = DataClass,
            GuardScore = GuardScore,
            ClassificationTruncated = ClassificationTruncated,
        };
        if (FaqScore is { } faq)
        {
            proto.FaqScore = faq;
        }

        foreach (var f in Findings)
        {
            proto.PiiFindings.Add(new PiiFinding
            {
                Type = f.Type,
                Start = f.Start,
                End = f.End,
                Score = f.Score,
                MessageIndex = f.MessageIndex,
                Placeholder = f.Placeholder ?? "",
            });
        }

        foreach (var (model, version) in ModelVersions)
        {
            proto.ModelVersions[model] = version;
        }
        return proto;
    }
}

/// <summary>A PII finding in one message of a chat request (offsets are UTF-16 indices into that message's content).</summary>
public sealed record MessageFinding(int MessageIndex, string Type, int Start, int End, double Score)
{
    /// <summary>The typed placeholder that replaced it, when the request was redacted.</summary>
    public string? Placeholder { get; set; }
}
