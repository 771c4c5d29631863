using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Router.Catalogue;
using HybridAI.Router.Errors;
using HybridAI.Router.Requests;
using HybridAI.Tokens;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Signals;

/// <summary>
/// Computes a request's signals once: PII over every message in-process; ONE slm-inference <c>Classify</c> call that
/// runs the intent, needs-LLM and guard heads over the classification text (and the guard over a few earlier user and
/// tool messages) and returns the embedding the semantic cache reuses; prompt tokens with o200k, counted while the
/// classifier runs. Signals fail closed: without slm-inference there is no guard score, so the request fails (503).
/// </summary>
public sealed class SignalExtractor(
    InferenceService.InferenceServiceClient inference, TokenCounter tokens, IPiiScanner pii, LocalModels localModels,
    IOptions<RouterOptions> options)
{
    /// <summary>Signals of a request without classifiable text (no user message): conservative, it goes to the LLM tier.</summary>
    private const double UnclassifiedNeedsLlm = 1.0;

    public async Task<RequestSignals> ComputeAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var o = options.Value.Signals;
        var messages = call.Request.Messages;
        var target = LastIndex(messages, "user");
        if (target < 0)
        {
            target = messages.Count - 1;
        }

        // The classification text's own findings first: the classifier must only ever see it masked.
        var findings = new List<TextFinding>[messages.Count];
        findings[target] = [.. pii.Detect(messages[target].Content)];
        var (text, truncated) = ClassificationText.Cut(ClassificationText.Mask(messages[target].Content, Confident(findings[target])), o.ClassificationMaxChars);

        var guardOnly = new List<string>();
        for (var i = messages.Count - 1; i >= 0 && guardOnly.Count < o.GuardEarlierMessages; i--)
        {
            if (i != target && messages[i].Role is "user" or "tool" && !string.IsNullOrWhiteSpace(messages[i].Content))
            {
                findings[i] = [.. pii.Detect(messages[i].Content)];
                guardOnly.Add(ClassificationText.Cut(ClassificationText.Mask(messages[i].Content, Confident(findings[i])), o.ClassificationMaxChars).Text);
            }
        }

        var classify = string.IsNullOrWhiteSpace(text) ? null : ClassifyAsync(text, guardOnly, cancellationToken);
        var versions = localModels.GetAsync(cancellationToken);

        // While the classifier runs: the remaining messages' PII and the prompt's tokens.
        for (var i = 0; i < messages.Count; i++)
        {
            findings[i] ??= [.. pii.Detect(messages[i].Content)];
        }

        var promptTokens = tokens.CountPrompt(TokenCounter.O200k, messages, call.Request.Tools);
        var all = new List<MessageFinding>();
        var detected = DataClass.Public;
        for (var i = 0; i < messages.Count; i++)
        {
            foreach (var f in findings[i])
            {
                all.Add(new MessageFinding(i, f.Type, f.Start, f.End, f.Score));
                var c = pii.IsConfident(f) ? pii.ClassOf(f.Type) : DataClass.Public;
                detected = c > detected ? c : detected;
            }
        }

        var scores = classify is null ? null : await classify;
        var signals = new RequestSignals
        {
            PromptTokens = promptTokens,
            Intent = scores?.Intent ?? "unknown",
            IntentConfidence = scores?.IntentConfidence ?? 0,
            NeedsLlm = scores?.NeedsLlm ?? UnclassifiedNeedsLlm,
            GuardScore = scores?.Guard ?? 0,
            DetectedClass = detected,
            Findings = all,
            ClassificationText = text,
            ClassificationTruncated = truncated,
            Embedding = scores?.Embedding,
            ModelVersions = (await versions).Versions,
        };
        signals.Raise(detected);
        if (call.Request.Constraints is { MinDataClass: > DataClass.Unspecified } constraints)
        {
            signals.Raise(constraints.MinDataClass);
        }

        return signals;
    }

    // The heads were trained on text without placeholders for mere suspicions: mask only what is confidently PII.
    private List<TextFinding> Confident(List<TextFinding> findings) => findings.TrueForAll(pii.IsConfident) ? findings : findings.FindAll(pii.IsConfident);

    private async Task<HeadScores> ClassifyAsync(string text, List<string> guardOnly, CancellationToken cancellationToken)
    {
        var o = options.Value.Signals;
        var request = new ClassifyRequest { IncludeEmbeddings = true, Heads = { o.IntentHead, o.NeedsLlmHead, o.GuardHead }, Texts = { text } };
        request.Texts.AddRange(guardOnly);
        ClassifyResponse response;
        try
        {
            response = await inference.ClassifyAsync(request, deadline: DateTime.UtcNow.Add(options.Value.SlmTimeout), cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw RoutingException.Unavailable("signals_unavailable",
                $"The router could not compute this request's signals: slm-inference answered {e.StatusCode} ({e.Status.Detail}). Requests are not routed without a guard score.",
                TimeSpan.FromSeconds(1), e);
        }

        var first = response.Results[0];
        var intent = Head(first, o.IntentHead);
        var guard = response.Results.Max(r => Score(Head(r, o.GuardHead), o.GuardLabel));
        return new HeadScores(
            intent.Label,
            intent.Confidence,
            Score(Head(first, o.NeedsLlmHead), o.NeedsLlmLabel),
            guard,
            first.Embedding is { Values.Count: > 0 } embedding ? [.. embedding.Values] : null);
    }

    private static HeadResult Head(TextClassification result, string head) =>
        result.Heads.FirstOrDefault(h => h.Head == head)
        ?? throw RoutingException.Unavailable("signals_unavailable", $"slm-inference returned no result for head '{head}'.");

    /// <summary>The probability of <paramref name="label"/> (heads list every label's probability).</summary>
    private static double Score(HeadResult head, string label) =>
        head.Scores.FirstOrDefault(s => s.Label == label)?.Score
        ?? throw RoutingException.Unavailable("signals_unavailable",
            $"Head '{head.Head}' has no label '{label}' (labels: {string.Join(", ", head.Scores.Select(s => s.Label))}); check Router:Signals.");

    private static int LastIndex(Google.Protobuf.Collections.RepeatedField<ChatMessage> messages, string role)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == role)
            {
                return i;
            }
        }

        return -1;
    }

    private sealed record HeadScores(string Intent, double IntentConfidence, double NeedsLlm, double Guard, float[]? Embedding);
}
