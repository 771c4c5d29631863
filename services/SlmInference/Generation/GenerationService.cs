using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using HybridAI.Contracts.Inference.V1;
using HybridAI.ServiceDefaults.Grpc;
using HybridAI.SlmInference.Core.Generation;
using HybridAI.SlmInference.Core.Templates;
using HybridAI.SlmInference.Models;
using HybridAI.SlmInference.Telemetry;
using Microsoft.Extensions.Options;

namespace HybridAI.SlmInference.Generation;

/// <summary>
/// Runs Generate calls: validates them, admits at most Inference:Generation:MaxConcurrent at once (a bounded number
/// wait; beyond that RESOURCE_EXHAUSTED), decodes on a dedicated thread and streams each token as it is produced.
/// </summary>
public sealed class GenerationService(ModelHost models, InferenceTelemetry telemetry, IOptions<InferenceOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.Generation.MaxConcurrent, options.Value.Generation.MaxConcurrent);
    private int _waiting;

    public async Task RunAsync(GenerateRequest request, IServerStreamWriter<GenerateChunk> stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stream);
        var settings = options.Value.Generation;
        var generator = ResolveGenerator(request.Model);
        var generation = BuildRequest(generator, request, settings);

        if (Interlocked.Increment(ref _waiting) > settings.QueueCapacity + settings.MaxConcurrent)
        {
            Interlocked.Decrement(ref _waiting);
            telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "queue_full"));
            throw RpcErrors.ResourceExhausted(
                $"Generator '{generator.Name}' is busy ({settings.MaxConcurrent} running, {settings.QueueCapacity} waiting). Retry shortly.", TimeSpan.FromSeconds(1));
        }

        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _waiting);
            throw;
        }

        try
        {
            await StreamAsync(generator, generation, stream, cancellationToken);
        }
        finally
        {
            _slots.Release();
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task StreamAsync(Core.Generation.GeneratorModel generator, GenerationRequest generation, IServerStreamWriter<GenerateChunk> stream, CancellationToken cancellationToken)
    {
        using var activity = InferenceTelemetry.Source.StartActivity($"chat {generator.Name}");
        activity?.SetTag("gen_ai.operation.name", "chat");
        activity?.SetTag("gen_ai.request.model", generator.Name);
        activity?.SetTag("gen_ai.request.max_tokens", generation.MaxTokens);
        activity?.SetTag("gen_ai.request.temperature", generation.Temperature);
        activity?.SetTag("gen_ai.request.top_p", generation.TopP);
        activity?.SetTag("hybridai.execution_provider", generator.ExecutionProvider);
        var tags = new TagList { { "gen_ai.operation.name", "chat" }, { "gen_ai.request.model", generator.Name } };
        var started = Stopwatch.GetTimestamp();

        // Inference is synchronous and CPU-bound: it runs on its own thread and hands events over a small channel, so
        // a slow reader applies backpressure to decoding instead of buffering without bound.
        var channel = Channel.CreateBounded<GenerationEvent>(new BoundedChannelOptions(32) { SingleReader = true, SingleWriter = true });
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var item in generator.Generate(generation, cancellationToken))
                {
                    // Blocking here is deliberate: this is the generation's own thread, and it must wait for the reader.
                    channel.Writer.WriteAsync(item, cancellationToken).AsTask().GetAwaiter().GetResult();
                }

                channel.Writer.Complete();
            }
#pragma warning disable CA1031 // Every failure is handed to the reader, which translates it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                channel.Writer.Complete(e);
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var first = true;
        long previous = 0;
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                switch (item)
                {
                    case Core.Generation.GeneratedToken token:
                        if (first)
                        {
                            telemetry.TimeToFirstToken.Record(Stopwatch.GetElapsedTime(started, now).TotalSeconds, tags);
                            first = false;
                        }
                        else
                        {
                            telemetry.TimePerOutputToken.Record(Stopwatch.GetElapsedTime(previous, now).TotalSeconds, tags);
                        }

                        previous = now;
                        await stream.WriteAsync(new GenerateChunk { Token = new Contracts.Inference.V1.GeneratedToken { TokenId = token.TokenId, Text = token.Text, Logprob = token.LogProbability } }, cancellationToken);
                        break;
                    case GenerationFinished done:
                        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                        activity?.SetTag("gen_ai.response.finish_reasons", new[] { done.FinishReason });
                        activity?.SetTag("gen_ai.usage.input_tokens", done.PromptTokens);
                        activity?.SetTag("gen_ai.usage.output_tokens", done.CompletionTokens);
                        telemetry.Tokens.Add(done.PromptTokens + done.CompletionTokens, tags);
                        telemetry.TokensPerSecond.Record(done.CompletionTokens / Math.Max(seconds, 1e-9), tags);
                        telemetry.RequestDuration.Record(seconds, tags);
                        await stream.WriteAsync(new GenerateChunk
                        {
                            Done = new GenerateDone
                            {
                                FinishReason = done.FinishReason,
                                MeanLogprob = done.MeanLogProbability,
                                Model = generator.Name,
                                Usage = new Contracts.Common.V1.TokenUsage { PromptTokens = done.PromptTokens, CompletionTokens = done.CompletionTokens },
                            },
                        }, cancellationToken);
                        break;
                }
            }
        }
        catch (ArgumentException e)
        {
            telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "invalid_prompt"));
            throw RpcErrors.InvalidArgument(e.Message, ("prompt", e.Message));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "cancelled"));
            throw new RpcException(new Status(StatusCode.Cancelled, "The caller cancelled the generation."));
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
        {
            // A terminated run surfaces as a runtime error; it is the caller's cancellation.
            throw new RpcException(new Status(StatusCode.Cancelled, $"The caller cancelled the generation ({e.Message})."));
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "inference"));
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new RpcException(new Status(StatusCode.Internal, $"Generator '{generator.Name}' failed: {e.Message}"));
        }
        finally
        {
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private Core.Generation.GeneratorModel ResolveGenerator(string name)
    {
        var registry = models.Registry;
        if (name.Length == 0)
        {
            if (registry.DefaultGenerator is { } generator)
            {
                return generator;
            }

            telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "no_generator"));
            RpcErrors.ThrowFailedPrecondition(
                registry.Generators.Count == 0
                    ? "No generator is configured: add one with Inference:Models:<name>:Kind=Generator and Inference:Models:<name>:Path=<folder> (see docs/slm-inference.md)."
                    : $"No default generator: set Inference:DefaultGenerator to one of {string.Join(", ", registry.Generators.Keys)}, or name the model in the request.",
                "Inference:Models", "GENERATOR_NOT_CONFIGURED");
        }

        if (registry.Generators.TryGetValue(name, out var named))
        {
            return named;
        }

        telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "unknown_model"));
        RpcErrors.ThrowNotFound("model", name,
            $"No generator named '{name}'. Generators: {(registry.Generators.Count == 0 ? "none configured (Inference:Models:<name>:Kind=Generator)" : string.Join(", ", registry.Generators.Keys))}.");
        return null;
    }

    public void Dispose() => _slots.Dispose();

    private static GenerationRequest BuildRequest(Core.Generation.GeneratorModel generator, GenerateRequest request, GenerationOptions settings)
    {
        var violations = new List<(string, string)>();
        var hasPrompt = request.Prompt.Length > 0;
        var hasMessages = request.Messages.Count > 0;
        if (hasPrompt == hasMessages)
        {
            violations.Add(("prompt", hasPrompt ? "give either messages or prompt, not both" : "give messages or a prompt"));
        }

        if (request.MaxTokens < 0 || request.MaxTokens > settings.MaxTokensLimit)
        {
            violations.Add(("max_tokens", $"must be between 1 and {settings.MaxTokensLimit} (0 uses {settings.DefaultMaxTokens}), but is {request.MaxTokens}"));
        }

        if (request.HasTemperature && (float.IsNaN(request.Temperature) || request.Temperature < 0 || request.Temperature > 5))
        {
            violations.Add(("temperature", $"must be between 0 and 5, but is {request.Temperature}"));
        }

        if (request.HasTopP && (float.IsNaN(request.TopP) || request.TopP <= 0 || request.TopP > 1))
        {
            violations.Add(("top_p", $"must be in (0, 1], but is {request.TopP}"));
        }

        if (request.Stop.Any(s => s.Length == 0) || request.Stop.Count > 16)
        {
            violations.Add(("stop", "holds at most 16 non-empty strings"));
        }

        for (var i = 0; i < request.Messages.Count; i++)
        {
            if (request.Messages[i].Role.Length == 0)
            {
                violations.Add(($"messages[{i}].role", "is empty"));
            }
        }

        if (violations.Count > 0)
        {
            RpcErrors.ThrowInvalidArgument($"Invalid Generate request: {string.Join("; ", violations.Select(v => $"{v.Item1} {v.Item2}"))}.", [.. violations]);
        }

        int[] prompt;
        if (hasMessages)
        {
            if (!generator.HasChatTemplate)
            {
                RpcErrors.ThrowFailedPrecondition(
                    $"Generator '{generator.Name}' has no chat template (tokenizer_config.json chat_template); send a prompt instead of messages.", generator.Name, "NO_CHAT_TEMPLATE");
            }

            try
            {
                prompt = generator.EncodeChat(request.Messages.Select(m => new ChatTurn(m.Role, m.Content)));
            }
            catch (TemplateException e)
            {
                throw RpcErrors.InvalidArgument($"The chat template of '{generator.Name}' rejected the messages: {e.Message}", ("messages", e.Message));
            }
        }
        else
        {
            prompt = generator.EncodePrompt(request.Prompt);
        }

        return new GenerationRequest
        {
            PromptIds = prompt,
            MaxTokens = request.MaxTokens == 0 ? settings.DefaultMaxTokens : request.MaxTokens,
            Temperature = request.HasTemperature ? request.Temperature : 0,
            TopP = request.HasTopP ? request.TopP : 1,
            Seed = request.HasSeed ? request.Seed : null,
            Stop = [.. request.Stop],
        };
    }
}
