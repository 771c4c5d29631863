using HybridAI.Contracts.Common.V1;

namespace HybridAI.Router.Signals;

/// <summary>In-process PII detection and the data class each entity type carries.</summary>
public interface IPiiScanner
{
    /// <summary>Findings in <paramref name="text"/>, ordered by position and non-overlapping; linear in the text's length.</summary>
    IReadOnlyList<TextFinding> Detect(string text);

    /// <summary>The data class a finding of this type gives a text.</summary>
    DataClass ClassOf(string entityType);
}

/// <summary>A span of sensitive data in one text (UTF-16 offsets, <c>[Start, End)</c>); never the value itself.</summary>
public readonly record struct TextFinding(string Type, int Start, int End, double Score);
