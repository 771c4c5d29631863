using System.Diagnostics;
using Grpc.Core;
using HybridAI.Contracts.Inference.V1;
using HybridAI.ServiceDefaults.Grpc;
using HybridAI.SlmInference.Core.Encoders;
using HybridAI.SlmInference.Core.Heads;
using HybridAI.SlmInference.Core.Tokenization;
using HybridAI.SlmInference.Generation;
using HybridAI.SlmInference.Models;
using HybridAI.SlmInference.Telemetry;
using Microsoft.Extensions.Options;

namespace HybridAI.SlmInference.Grpc;

/// <summary>
/// The <c>hybridai.inference.v1</c> API: embeddings and classification through the batcher, generation, model list.
/// Bound by <see cref="InferenceMethodProvider"/> (not the generated base class) so malformed requests are INVALID_ARGUMENT.
/// </summary>
public sealed class InferenceGrpcService(ModelHost models, GenerationService generation, InferenceTelemetry telemetry, IOptions<InferenceOptions> options)
{
    public async Task<EmbedResponse> Embed(EmbedRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var encoder = ResolveEncoder(request.Model);
        RequestValidation.Texts(request.Texts, options.Value.MaxTextsPerRequest);
        using var activity = StartActivity("embeddings", encoder);
        var (encoded, vectors) = await EmbedAsync(encoder, request.Texts, context.CancellationToken);

        var response = new EmbedResponse { Model = encoder.Name, Dimensions = encoder.Dimensions };
        for (var i = 0; i < encoded.Length; i++)
        {
            response.Embeddings.Add(ToEmbedding(encoded[i], vectors, i, encoder.Dimensions));
            response.TotalTokens += encoded[i].Length;
        }

        Record(activity, "embeddings", encoder.Name, response.TotalTokens, started);
        return response;
    }

    public async Task<ClassifyResponse> Classify(ClassifyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var heads = ResolveHeads(request.Heads);
        RequestValidation.Texts(request.Texts, options.Value.MaxTextsPerRequest);
        var encoder = models.Registry.Encoders[heads[0].EncoderName];
        using var activity = StartActivity("classify", encoder);
        activity?.SetTag("hybridai.heads", string.Join(",", heads.Select(h => h.Name)));
        var (encoded, vectors) = await EmbedAsync(encoder, request.Texts, context.CancellationToken);

        var response = new ClassifyResponse();
        var tokens = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var embedding = vectors.AsSpan(i * 2 * encoder.Dimensions, encoder.Dimensions);
            var maxPooled = vectors.AsSpan((i * 2 * encoder.Dimensions) + encoder.Dimensions, encoder.Dimensions);
            var result = new TextClassification();
            foreach (var head in heads)
            {
                result.Heads.Add(ToResult(head.Name, head.Predict(embedding, maxPooled, request.Texts[i])));
            }

            if (request.IncludeEmbeddings)
            {
                result.Embedding = ToEmbedding(encoded[i], vectors, i, encoder.Dimensions);
            }

            tokens += encoded[i].Length;
            response.Results.Add(result);
        }

        Record(activity, "classify", encoder.Name, tokens, started);
        return response;
    }

    public Task Generate(GenerateRequest request, IServerStreamWriter<GenerateChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return generation.RunAsync(request, responseStream, context.CancellationToken);
    }

    public Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context) =>
        Task.FromResult(ModelCatalog.Describe(models.Registry));

    private async Task<(EncodedText[] Encoded, float[] Vectors)> EmbedAsync(EncoderModel encoder, Google.Protobuf.Collections.RepeatedField<string> texts, CancellationToken cancellationToken)
    {
        // Tokenisation runs on the caller's thread, in parallel with other callers; only inference is batched.
        var encoded = new EncodedText[texts.Count];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = encoder.Tokenize(texts[i]);
        }

        // Per text: the embedding, then the max-pooled states (see EncoderBatcher.EmbedAsync).
        var vectors = new float[encoded.Length * encoder.Dimensions * 2];
        try
        {
            await models.Batchers[encoder.Name].EmbedAsync(encoded, vectors, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "The caller cancelled the call; its queued texts were removed."));
        }

        return (encoded, vectors);
    }

    private EncoderModel ResolveEncoder(string name)
    {
        var registry = models.Registry;
        if (name.Length == 0)
        {
            return registry.DefaultEncoder;
        }

        if (registry.Encoders.TryGetValue(name, out var encoder))
        {
            return encoder;
        }

        telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "unknown_model"));
        var kind = registry.Heads.ContainsKey(name) ? " It is a head: call Classify." : registry.Generators.ContainsKey(name) ? " It is a generator: call Generate." : "";
        RpcErrors.ThrowNotFound("model", name, $"No encoder named '{name}'.{kind} Encoders: {string.Join(", ", registry.Encoders.Keys)}.");
        return null;
    }

    private List<ClassificationHead> ResolveHeads(Google.Protobuf.Collections.RepeatedField<string> names)
    {
        var registry = models.Registry;
        if (names.Count == 0)
        {
            RpcErrors.ThrowInvalidArgument(
                $"heads is empty: name at least one head ({(registry.Heads.Count == 0 ? "none is configured; add Inference:Models:<name>:Kind=Head" : string.Join(", ", registry.Heads.Keys))}).",
                ("heads", "must name at least one head"));
        }

        var heads = new List<ClassificationHead>(names.Count);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (!registry.Heads.TryGetValue(name, out var head))
            {
                telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "unknown_head"));
                RpcErrors.ThrowNotFound("head", name,
                    $"No head named '{name}'. Heads: {(registry.Heads.Count == 0 ? "none configured" : string.Join(", ", registry.Heads.Keys))}.");
            }

            heads.Add(head);
        }

        var encoders = heads.Select(h => h.EncoderName).Distinct().ToArray();
        if (encoders.Length > 1)
        {
            RpcErrors.ThrowInvalidArgument(
                $"The heads run on different encoders ({string.Join(", ", heads.Select(h => $"{h.Name}: {h.EncoderName}"))}); one call classifies with one encoder.",
                ("heads", "must all share one encoder"));
        }

        return heads;
    }

    private static Activity? StartActivity(string operation, EncoderModel encoder)
    {
        var activity = InferenceTelemetry.Source.StartActivity($"{operation} {encoder.Name}");
        activity?.SetTag("gen_ai.operation.name", operation);
        activity?.SetTag("gen_ai.request.model", encoder.Name);
        activity?.SetTag("hybridai.execution_provider", encoder.ExecutionProvider);
        return activity;
    }

    private void Record(Activity? activity, string operation, string model, int tokens, long started)
    {
        activity?.SetTag("gen_ai.usage.input_tokens", tokens);
        var tags = new TagList { { "gen_ai.operation.name", operation }, { "gen_ai.request.model", model } };
        telemetry.Tokens.Add(tokens, tags);
        telemetry.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }

    private static Embedding ToEmbedding(EncodedText text, float[] vectors, int index, int dimensions)
    {
        var embedding = new Embedding { TokenCount = text.Length, Truncated = text.Truncated };
        embedding.Values.AddRange(new ArraySegment<float>(vectors, index * 2 * dimensions, dimensions));
        return embedding;
    }

    private static HeadResult ToResult(string head, HeadPrediction prediction)
    {
        var result = new HeadResult { Head = head, Label = prediction.Label, Confidence = prediction.Confidence };
        foreach (var score in prediction.Scores)
        {
            result.Scores.Add(new LabelScore { Label = score.Label, Score = score.Probability });
        }

        return result;
    }
}
