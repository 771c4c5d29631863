using Grpc.Core;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Retrieval.Errors;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval.Embeddings;

/// <summary>
/// slm-inference's <c>Embed</c>: texts go in calls of <c>Retrieval:EmbeddingBatchSize</c>, up to
/// <c>Retrieval:EmbeddingConcurrency</c> calls in flight (slm-inference coalesces them with other callers' texts into
/// model batches), each with the <c>Retrieval:EmbeddingTimeout</c> deadline.
/// </summary>
public sealed class GrpcEmbeddingClient(InferenceService.InferenceServiceClient client, IOptions<RetrievalOptions> options) : IEmbeddingClient
{
    public async Task<Embeddings> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var settings = options.Value;
        var vectors = new float[texts.Count][];
        if (texts.Count == 0)
        {
            return new Embeddings(settings.EmbeddingModel, 0, vectors);
        }

        var batches = Enumerable.Range(0, (texts.Count + settings.EmbeddingBatchSize - 1) / settings.EmbeddingBatchSize)
            .Select(b => (Offset: b * settings.EmbeddingBatchSize, Count: Math.Min(settings.EmbeddingBatchSize, texts.Count - (b * settings.EmbeddingBatchSize))))
            .ToArray();
        string? model = null;
        var dimensions = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = settings.EmbeddingConcurrency, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                var request = new EmbedRequest { Model = settings.EmbeddingModel };
                for (var i = 0; i < batch.Count; i++)
                {
                    request.Texts.Add(texts[batch.Offset + i]);
                }

                var response = await CallAsync(request, settings.EmbeddingTimeout, ct);
                if (response.Embeddings.Count != batch.Count)
                {
                    throw new DependencyUnavailableException($"slm-inference returned {response.Embeddings.Count} embeddings for {batch.Count} texts.");
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    var values = response.Embeddings[i].Values;
                    var vector = new float[values.Count];
                    values.CopyTo(vector, 0);
                    vectors[batch.Offset + i] = vector;
                }

                model = response.Model;
                dimensions = response.Dimensions;
            });

        return new Embeddings(model!, dimensions, vectors);
    }

    private async Task<EmbedResponse> CallAsync(EmbedRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await client.EmbedAsync(request, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new DependencyUnavailableException(
                $"slm-inference has no encoder '{request.Model}' (Retrieval:EmbeddingModel): {e.Status.Detail}", e);
        }
        catch (RpcException e)
        {
            throw new DependencyUnavailableException($"slm-inference could not embed {request.Texts.Count} texts ({e.StatusCode}: {e.Status.Detail}); retry shortly.", e);
        }
    }
}
