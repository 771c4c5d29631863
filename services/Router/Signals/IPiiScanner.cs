using HybridAI.Contracts.Common.V1;

namespace HybridAI.Router.Signals;

/// <summary>In-process PII detection and the data class each entity type carries.</summary>
public interface IPiiScanner
{
    /// <summary>Findings in <paramref name="text"/>, ordered by position and non-overlapping; linear in the text's length.</summary>
    IReadOnlyList<TextFinding> Detect(string text);

    /// <summary>The data class a confident finding of this type gives a text.</summary>
    DataClass ClassOf(string entityType);

    /// <summary>
    /// Whether a finding is confident: only confident findings set the data class; suspected ones (a word that only
    /// looks like a name) are redacted or kept local through the <c>pii_found</c> policy signal.
    /// </summary>
    bool IsConfident(TextFinding finding);
}

/// <summary>A span of sensitive data in one text (UTF-16 offsets, <c>[Start, End)</c>); never the value itself.</summary>
public readonly record struct TextFinding(string Type, int Start, int End, double Score);
