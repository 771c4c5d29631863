using System.Text.Json.Serialization;
using HybridAI.Contracts.Common.V1;
using HybridAI.Router.Policy;

namespace HybridAI.Router.OpenAi;

/// <summary><c>POST /v1/hybrid/explain</c>: the signals and the decision for a chat request, nothing executed.</summary>
public sealed class ExplainResponseDto
{
    public required SignalsDto Signals { get; init; }

    public required HybridAiDecisionDto Decision { get; init; }

    /// <summary>The worst-case cost the budget would reserve (0 on the SLM tier).</summary>
    public decimal ReserveCostUsd { get; init; }

    /// <summary>The thresholds in force and where each came from (the tenant's policy or <c>Router:Policy:Thresholds</c>).</summary>
    public List<AppliedThresholdDto> Thresholds { get; init; } = [];
}

public sealed class AppliedThresholdDto
{
    public required string Name { get; init; }

    public double Value { get; init; }

    public required string Source { get; init; }
}

public sealed class SignalsDto
{
    public int PromptTokens { get; init; }

    public required string Intent { get; init; }

    public double IntentConfidence { get; init; }

    public double NeedsLlmProbability { get; init; }

    public double GuardScore { get; init; }

    public required string DataClass { get; init; }

    public required List<FindingDto> PiiFindings { get; init; }

    public bool ClassificationTruncated { get; init; }

    public double? FaqScore { get; init; }

    public Dictionary<string, string>? ModelVersions { get; init; }
}

public sealed class FindingDto
{
    public required string Type { get; init; }

    public int Start { get; init; }

    public int End { get; init; }

    public double Score { get; init; }

    /// <summary>In a chat request: the message the span is in.</summary>
    public int? MessageIndex { get; init; }

    public string? Placeholder { get; init; }
}

/// <summary><c>POST /v1/hybrid/classify</c>.</summary>
public sealed class ClassifyRequestDto
{
    public string? Text { get; set; }

    public string? Head { get; set; }
}

public sealed class ClassifyResponseDto
{
    public required string Head { get; init; }

    public required string Label { get; init; }

    public double Confidence { get; init; }

    public required List<LabelScoreDto> Scores { get; init; }
}

public sealed class LabelScoreDto
{
    public required string Label { get; init; }

    public double Score { get; init; }
}

/// <summary><c>POST /v1/hybrid/extract</c>.</summary>
public sealed class ExtractRequestDto
{
    public string? Text { get; set; }

    public bool Redact { get; set; }
}

public sealed class ExtractResponseDto
{
    public required List<FindingDto> Findings { get; init; }

    public required string DataClass { get; init; }

    public string? RedactedText { get; init; }

    /// <summary>The wire shape of an extraction (HTTP <c>/v1/hybrid/extract</c> and the MCP <c>extract</c> tool).</summary>
    public static ExtractResponseDto From(IReadOnlyList<PiiFinding> findings, DataClass dataClass, string? redacted) => new()
    {
        Findings = [.. findings.Select(f => new FindingDto
        {
            Type = f.Type,
            Start = f.Start,
            End = f.End,
            Score = f.Score,
            Placeholder = f.Placeholder.Length > 0 ? f.Placeholder : null,
        })],
        DataClass = DataClasses.Name(dataClass),
        RedactedText = redacted,
    };
}

/// <summary>An error event inside a stream that already started (OpenAI's shape).</summary>
public sealed class StreamErrorDto
{
    public required ErrorDto Error { get; init; }

    [JsonPropertyName("hybridai")]
    public HybridAiDecisionDto? HybridAi { get; init; }
}
