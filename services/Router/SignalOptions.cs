using System.ComponentModel.DataAnnotations;

namespace HybridAI.Router;

/// <summary>How the router measures a request (section <c>Router:Signals</c>).</summary>
public sealed class SignalOptions
{
    /// <summary>slm-inference head that names the request's intent.</summary>
    [Required(AllowEmptyStrings = false)]
    public string IntentHead { get; set; } = "intent";

    /// <summary>slm-inference head giving the probability that only a large model answers well.</summary>
    [Required(AllowEmptyStrings = false)]
    public string NeedsLlmHead { get; set; } = "needs-llm";

    /// <summary>The needs-LLM head's positive label.</summary>
    [Required(AllowEmptyStrings = false)]
    public string NeedsLlmLabel { get; set; } = "llm";

    /// <summary>slm-inference head scoring prompt injection and jailbreaks.</summary>
    [Required(AllowEmptyStrings = false)]
    public string GuardHead { get; set; } = "guard";

    /// <summary>The guard head's positive label.</summary>
    [Required(AllowEmptyStrings = false)]
    public string GuardLabel { get; set; } = "attack";

    /// <summary>
    /// Longest classification text in characters. A longer last user message keeps its first 60 % and last 40 %
    /// (joined by a line with an ellipsis): the encoder's window holds about 1,000 characters of English, so the tail
    /// of a longer text would otherwise never be seen. PII detection always scans every message in full.
    /// </summary>
    [Range(64, 100_000)]
    public int ClassificationMaxChars { get; set; } = 1000;

    /// <summary>The guard also scores this many earlier user and tool messages (the guard score is the highest).</summary>
    [Range(0, 32)]
    public int GuardEarlierMessages { get; set; } = 3;

    /// <summary>
    /// Score from which a PII finding is confident (detectors score 0..1): confident findings set the data class and are
    /// masked in the classification text.
    /// </summary>
    [Range(0.0, 1.0)]
    public double PiiMinimumScore { get; set; } = HybridAI.Pii.PiiScores.Confident;

    /// <summary>
    /// <c>Recall</c> (the default) also keeps suspected findings (unknown capitalised words, street-like lines; scored
    /// below <see cref="PiiMinimumScore"/>): they do not raise the data class, but the <c>pii_found</c> policy signal
    /// sees them, so the default policy redacts them or keeps them local. <c>Precise</c> keeps confident findings only.
    /// </summary>
    public HybridAI.Pii.PiiProfile PiiProfile { get; set; } = HybridAI.Pii.PiiProfile.Recall;
}
