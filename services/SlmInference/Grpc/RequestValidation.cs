using Google.Protobuf.Collections;
using HybridAI.ServiceDefaults.Grpc;

namespace HybridAI.SlmInference.Grpc;

/// <summary>Checks of request fields shared by Embed and Classify; each problem becomes an INVALID_ARGUMENT field violation.</summary>
internal static class RequestValidation
{
    private const int MaxReported = 10;

    /// <summary>
    /// The text list must be non-empty, within the per-request limit, and hold no empty or blank text. Texts arrive as
    /// valid UTF-16: protobuf rejects invalid UTF-8 while parsing, before the request reaches us (see docs).
    /// </summary>
    public static void Texts(RepeatedField<string> texts, int maxTexts)
    {
        if (texts.Count == 0)
        {
            RpcErrors.ThrowInvalidArgument("texts is empty: send at least one text.", ("texts", "must hold at least one text"));
        }

        if (texts.Count > maxTexts)
        {
            RpcErrors.ThrowInvalidArgument(
                $"texts holds {texts.Count} texts; at most {maxTexts} are allowed per call (Inference:MaxTextsPerRequest). Split the call.",
                ("texts", $"holds {texts.Count} texts, more than the limit of {maxTexts}"));
        }

        var violations = new List<(string, string)>();
        for (var i = 0; i < texts.Count && violations.Count < MaxReported; i++)
        {
            if (string.IsNullOrWhiteSpace(texts[i]))
            {
                violations.Add(($"texts[{i}]", texts[i].Length == 0 ? "is empty" : "holds only whitespace"));
            }
        }

        if (violations.Count > 0)
        {
            RpcErrors.ThrowInvalidArgument(
                $"{violations.Count} text(s) are empty or blank ({string.Join(", ", violations.Select(v => v.Item1))}); every text must have content.",
                [.. violations]);
        }
    }
}
