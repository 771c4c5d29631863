using System.Text;
using HybridAI.SlmInference.Core.Runtime;
using HybridAI.SlmInference.Core.Templates;
using HybridAI.SlmInference.Core.Tokenization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HybridAI.SlmInference.Core.Generation;

/// <summary>
/// A decoder-only generator folder as Hugging Face Optimum exports it (<c>model.onnx</c> with <c>past_key_values.N.key</c>
/// / <c>.value</c> inputs and <c>present.N.*</c> outputs, <c>tokenizer.json</c>, <c>config.json</c>, optional
/// <c>generation_config.json</c> and <c>tokenizer_config.json</c> with the chat template). Thread-safe: each
/// <see cref="Generate"/> call has its own decoder state.
/// </summary>
public sealed class GeneratorModel : IDisposable
{
    private readonly GeneratorConfig _config;
    private readonly OnnxSessionFactory _factory;
    private readonly TensorElementType _cacheType;
    private readonly long[] _emptyCacheShape;

    private GeneratorModel(string name, string folder, OnnxSessionFactory factory, InferenceSession session, BpeTokenizer tokenizer, GeneratorConfig config, string sha256)
    {
        Name = name;
        Folder = folder;
        _factory = factory;
        Session = session;
        Tokenizer = tokenizer;
        _config = config;
        Sha256 = sha256;
        DeviceMemory = factory.DeviceMemory();
        var inputs = session.InputMetadata;
        if (!inputs.ContainsKey("input_ids") || !session.OutputMetadata.ContainsKey("logits"))
        {
            throw new InvalidDataException($"Generator '{name}': model.onnx needs an 'input_ids' input and a 'logits' output (inputs: {string.Join(", ", inputs.Keys)}).");
        }

        HasAttentionMask = inputs.ContainsKey("attention_mask");
        HasPositionIds = inputs.ContainsKey("position_ids");
        Layers = inputs.Keys.Count(k => k.StartsWith("past_key_values.", StringComparison.Ordinal) && k.EndsWith(".key", StringComparison.Ordinal));
        for (var layer = 0; layer < Layers; layer++)
        {
            foreach (var name2 in new[] { $"past_key_values.{layer}.value", $"present.{layer}.key", $"present.{layer}.value" })
            {
                if (!inputs.ContainsKey(name2) && !session.OutputMetadata.ContainsKey(name2))
                {
                    throw new InvalidDataException($"Generator '{name}': model.onnx has past_key_values.{layer}.key but no '{name2}'.");
                }
            }
        }

        if (Layers == 0)
        {
            _cacheType = TensorElementType.Float;
            _emptyCacheShape = [];
            return;
        }

        var past = inputs["past_key_values.0.key"];
        _cacheType = past.ElementDataType;
        var dims = past.Dimensions;
        var heads = dims.Length == 4 && dims[1] > 0 ? dims[1] : config.KeyValueHeads
            ?? throw new InvalidDataException($"Generator '{name}': config.json names neither num_key_value_heads nor num_attention_heads.");
        var headDim = dims.Length == 4 && dims[3] > 0 ? dims[3] : config.HeadDimension
            ?? throw new InvalidDataException($"Generator '{name}': config.json names neither head_dim nor hidden_size.");
        _emptyCacheShape = [1, heads, 0, headDim];
    }

    public string Name { get; }

    public string Folder { get; }

    /// <summary>SHA-256 of model.onnx.</summary>
    public string Sha256 { get; }

    public BpeTokenizer Tokenizer { get; }

    public int ContextWindow => _config.ContextWindow;

    public int VocabularySize => Tokenizer.VocabularySize;

    public bool HasChatTemplate => Template is not null;

    public string ExecutionProvider => _factory.Resolution.ExecutionProvider;

    /// <summary>Ids that end generation (generation_config.json, config.json and the tokenizer's eos_token).</summary>
    public IReadOnlySet<int> EndOfSequenceIds => _config.EndOfSequenceIds;

    internal InferenceSession Session { get; }

    internal bool HasAttentionMask { get; }

    internal bool HasPositionIds { get; }

    internal int Layers { get; }

    internal ChatTemplate? Template { get; private init; }

    /// <summary>Opens and warms up a generator folder; a missing or corrupt file is named in the error.</summary>
    public static GeneratorModel Load(string name, string folder, OnnxSessionFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var modelPath = Path.Combine(folder, "model.onnx");
        var tokenizerPath = Path.Combine(folder, "tokenizer.json");
        foreach (var required in new[] { modelPath, tokenizerPath, Path.Combine(folder, "config.json") })
        {
            if (!File.Exists(required))
            {
                throw new FileNotFoundException($"Generator '{name}': {required} does not exist.", required);
            }
        }

        var tokenizer = BpeTokenizer.FromFile(tokenizerPath);
        var config = GeneratorConfig.Read(folder, tokenizer.TokenToId);
        ChatTemplate? template = null;
        if (config.ChatTemplate is { } source)
        {
            try
            {
                template = ChatTemplate.Parse(source);
            }
            catch (TemplateException e)
            {
                throw new InvalidDataException($"Generator '{name}': the chat template in {folder} is not supported: {e.Message}", e);
            }
        }

        var session = factory.Create(modelPath);
        try
        {
            var model = new GeneratorModel(name, folder, factory, session, tokenizer, config, Models.ModelFiles.Sha256(modelPath)) { Template = template };
            model.WarmUp();
            return model;
        }
        catch (OnnxRuntimeException e)
        {
            session.Dispose();
            throw new InvalidDataException($"Generator '{name}': {modelPath} failed its warm-up run: {e.Message}", e);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Renders chat messages with the model's template and tokenises them (special tokens in the text are kept).</summary>
    public int[] EncodeChat(IEnumerable<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        if (Template is null)
        {
            throw new InvalidOperationException($"Generator '{Name}' has no chat template (tokenizer_config.json chat_template or chat_template.jinja); send a prompt instead.");
        }

        var text = Template.Render(messages, _config.BosToken, _config.EosToken, addGenerationPrompt);
        return Tokenizer.Encode(text, addSpecialTokens: false);
    }

    /// <summary>Tokenises a raw prompt with the tokenizer's post-processor (e.g. a leading BOS), as HF does by default.</summary>
    public int[] EncodePrompt(string prompt) => Tokenizer.Encode(prompt, addSpecialTokens: true);

    /// <summary>
    /// Generates token by token. The sequence yields <see cref="GeneratedToken"/>s in order, then one
    /// <see cref="GenerationFinished"/>. Inference runs on the enumerating thread.
    /// </summary>
    public IEnumerable<GenerationEvent> Generate(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = request.PromptIds;
        if (prompt.Count == 0)
        {
            throw new ArgumentException("The prompt has no tokens.", nameof(request));
        }

        if (prompt.Count >= ContextWindow)
        {
            throw new ArgumentException($"The prompt has {prompt.Count} tokens; generator '{Name}' has a {ContextWindow}-token context window.", nameof(request));
        }

        if (prompt.Any(id => id < 0 || id >= VocabularySize))
        {
            throw new ArgumentException($"The prompt holds a token id outside generator '{Name}''s vocabulary of {VocabularySize}.", nameof(request));
        }

        var sampler = new TokenSampler(request.Temperature, request.TopP, request.Seed);
        var stops = new StopSequenceFilter(request.Stop.Where(s => s.Length > 0).ToArray());
        var text = new StreamingDetokenizer(Tokenizer);
        var queue = new Queue<GeneratedToken>();
        var released = new StringBuilder();
        var sequence = new List<int>(prompt);
        using var runOptions = new RunOptions();
        using var cancel = cancellationToken.Register(() => runOptions.Terminate = true);
        using var decoder = new DecoderSession(this, runOptions);

        var generated = 0;
        var emitted = 0;
        var logProbabilities = 0d;
        var reason = FinishReasons.Length;
        var next = prompt.ToArray();
        while (generated < request.MaxTokens && sequence.Count < ContextWindow)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Models exported without past_key_values inputs recompute the whole sequence each step.
            var logits = request.UseKvCache && Layers > 0 ? decoder.Forward(next, useCache: true) : decoder.Forward(sequence.ToArray(), useCache: false);
            var (token, logProbability) = sampler.Next(logits);
            generated++;
            sequence.Add(token);
            next = [token];
            if (EndOfSequenceIds.Contains(token))
            {
                reason = FinishReasons.EndOfSequence;
                break;
            }

            var piece = text.Append(token);
            queue.Enqueue(new GeneratedToken(token, piece, logProbability));
            released.Append(stops.Push(piece));
            foreach (var ready in Release(queue, released, stops.Stopped))
            {
                emitted++;
                logProbabilities += ready.LogProbability;
                yield return ready;
            }

            if (stops.Stopped)
            {
                reason = FinishReasons.Stop;
                break;
            }
        }

        if (!stops.Stopped)
        {
            released.Append(stops.Push(text.Flush())).Append(stops.Flush());
            foreach (var ready in Release(queue, released, final: true))
            {
                emitted++;
                logProbabilities += ready.LogProbability;
                yield return ready;
            }
        }

        yield return new GenerationFinished(reason, prompt.Count, generated, emitted == 0 ? 0 : logProbabilities / emitted);
    }

    /// <summary>Tokens whose text is fully released; at the end, a partly released token goes out with the part released.</summary>
    private static IEnumerable<GeneratedToken> Release(Queue<GeneratedToken> queue, StringBuilder released, bool final)
    {
        while (queue.Count > 0 && released.Length >= queue.Peek().Text.Length)
        {
            var token = queue.Dequeue();
            released.Remove(0, token.Text.Length);
            yield return token;
        }

        if (final && queue.Count > 0)
        {
            var token = queue.Dequeue();
            if (released.Length > 0)
            {
                yield return token with { Text = released.ToString() };
            }

            released.Clear();
            queue.Clear();
        }
    }

    public void Dispose()
    {
        Session.Dispose();
        if (!ReferenceEquals(DeviceMemory, OrtMemoryInfo.DefaultInstance))
        {
            DeviceMemory.Dispose();
        }
    }

    /// <summary>Where the KV cache stays between steps: CUDA memory on a GPU, CPU memory otherwise.</summary>
    internal OrtMemoryInfo DeviceMemory { get; }

    /// <summary>A zero-length past for the first pass, in the cache's element type.</summary>
    internal OrtValue EmptyCache() => _cacheType == TensorElementType.Float16
        ? OrtValue.CreateTensorValueFromMemory(Array.Empty<Float16>(), _emptyCacheShape)
        : OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), _emptyCacheShape);

    private void WarmUp()
    {
        var prompt = Tokenizer.Encode("Hello", addSpecialTokens: true);
        if (prompt.Length == 0)
        {
            prompt = [0];
        }

        foreach (var _ in Generate(new GenerationRequest { PromptIds = prompt, MaxTokens = 2 }))
        {
        }
    }
}
