using Grpc.Core;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Catalogue;
using HybridAI.Router.Errors;
using HybridAI.Router.Feedback;
using HybridAI.Router.Http;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Requests;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Grpc;

/// <summary>
/// The router's gRPC API (<c>hybridai.router.v1</c>): the same pipeline and capabilities as the HTTP API, with typed
/// constraints. The tenant comes from the <c>x-hybridai-tenant</c> metadata the edge stamps; the decision is in the
/// response (and, for every routed call, in trailers); failures are statuses with google.rpc details.
/// </summary>
public sealed class RouterGrpcService(
    RoutingPipeline pipeline, LocalCapabilities local, FeedbackService feedback, RequestGate gate, IOptions<RouterOptions> options)
    : RouterService.RouterServiceBase
{
    public override Task<ChatCompletionResponse> CompleteChat(ChatCompletionRequest request, ServerCallContext context) => Run(context, async ct =>
    {
        var call = Call(request, context, stream: false);
        using var slot = await gate.EnterAsync(ct);
        var result = await pipeline.CompleteAsync(call, ct);
        GrpcDecision.AddTrailers(context, result.Decision);
        var response = new ChatCompletionResponse
        {
            Id = result.Id,
            Model = result.Model,
            Message = result.Message,
            FinishReason = result.FinishReason,
            Usage = result.Usage,
            Decision = result.Decision,
        };
        response.Citations.AddRange(result.Citations);
        return response;
    });

    public override Task StreamChat(ChatCompletionRequest request, IServerStreamWriter<ChatCompletionChunk> responseStream, ServerCallContext context) =>
        Run(context, async ct =>
        {
            var call = Call(request, context, stream: true);
            using var slot = await gate.EnterAsync(ct);
            await pipeline.StreamAsync(call, new GrpcChatWriter(responseStream, context), ct);
            return true;
        });

    public override Task<ExplainResponse> Explain(ChatCompletionRequest request, ServerCallContext context) => Run(context, async ct =>
    {
        var call = Call(request, context, stream: false);
        using var slot = await gate.EnterAsync(ct);
        var explanation = await pipeline.ExplainAsync(call, ct);
        GrpcDecision.AddTrailers(context, explanation.Decision);
        var response = new ExplainResponse { Signals = explanation.Signals, Decision = explanation.Decision, ReserveCostMicros = explanation.ReserveMicros };
        response.Thresholds.AddRange(explanation.Thresholds.Select(t => new AppliedThreshold { Name = t.Name, Value = t.Value, Source = t.Source }));
        return response;
    });

    public override Task<ClassifyResponse> Classify(ClassifyRequest request, ServerCallContext context) => Run(context, async ct =>
    {
        CallerResolver.From(context);
        var head = await local.ClassifyAsync(request.Head, request.Text, ct);
        var response = new ClassifyResponse { Head = head.Head, Label = head.Label, Confidence = head.Confidence };
        response.Scores.AddRange(head.Scores.Select(s => new LabelScore { Label = s.Label, Score = s.Score }));
        return response;
    });

    public override Task<EmbedResponse> Embed(EmbedRequest request, ServerCallContext context) => Run(context, async ct =>
    {
        CallerResolver.From(context);
        var embedded = await local.EmbedAsync(request.Model is VirtualModels.Auto ? "" : request.Model, [.. request.Texts], ct);
        var response = new EmbedResponse { Model = embedded.Model, Dimensions = embedded.Dimensions, TotalTokens = embedded.TotalTokens };
        response.Embeddings.AddRange(embedded.Embeddings.Select(e => new Embedding { Values = { e.Values }, TokenCount = e.TokenCount, Truncated = e.Truncated }));
        return response;
    });

    public override Task<ExtractResponse> Extract(ExtractRequest request, ServerCallContext context) => Run(context, ct =>
    {
        CallerResolver.From(context);
        if (request.Text.Length == 0)
        {
            throw RoutingException.Invalid("text", "is required.");
        }

        var (findings, dataClass, redacted) = local.Extract(request.Text, request.Redact);
        var response = new ExtractResponse { DataClass = dataClass, RedactedText = redacted ?? "" };
        response.Findings.AddRange(findings);
        return Task.FromResult(response);
    });

    public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context) => Run(context, async ct =>
    {
        var caller = CallerResolver.From(context);
        var response = new ListModelsResponse();
        response.Models.AddRange((await local.ModelsAsync(caller.TenantId, ct))
            .Select(m => new RoutedModel { Id = m.Id, Kind = m.Kind, OwnedBy = m.OwnedBy, Description = m.Description }));
        return response;
    });

    public override Task<SubmitFeedbackResponse> SubmitFeedback(SubmitFeedbackRequest request, ServerCallContext context) => Run(context, async ct =>
    {
        var caller = CallerResolver.From(context);
        var outcome = await feedback.SubmitAsync(caller, request.ResponseId, request.HasRating ? request.Rating : null,
            request.Comment, ct);
        return new SubmitFeedbackResponse { ResponseId = outcome.ResponseId, Rating = outcome.Rating, Replaced = outcome.Replaced };
    });

    private ChatCall Call(ChatCompletionRequest request, ServerCallContext context, bool stream)
    {
        var caller = CallerResolver.From(context);
        var copy = request.Clone();
        if (copy.Model.Length == 0 || (copy.Model == VirtualModels.Auto && copy.Constraints is { ModelHint.Length: > 0 }))
        {
            copy.Model = copy.Constraints is { ModelHint.Length: > 0 } c ? c.ModelHint : options.Value.DefaultModel;
        }

        return new ChatCall { Request = copy, Caller = caller, Stream = stream };
    }

    /// <summary>Runs a call with the caller's token, translating the pipeline's failures (with the decision in trailers).</summary>
    private static async Task<T> Run<T>(ServerCallContext context, Func<CancellationToken, Task<T>> work)
    {
        try
        {
            return await work(context.CancellationToken);
        }
        catch (RoutingException e)
        {
            if (e.Decision is { } decision)
            {
                GrpcDecision.AddTrailers(context, decision);
            }

            throw GrpcErrors.ToRpc(e);
        }
    }
}
