using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Inference.V1;
using HybridAI.SlmInference.Core.Heads;
using HybridAI.SlmInference.Core.Models;
using HybridAI.SlmInference.Tests.Encoders;
using HybridAI.SlmInference.Tests.Heads;
using HybridAI.Testing.Models;

namespace HybridAI.SlmInference.Tests.Service;

/// <summary>A service with a registry: two heads and a tiny generator, configured through Inference:Models.</summary>
public sealed class ModelsServiceTests(EncoderFixture encoder, ModelsServiceTests.Host host) : IClassFixture<ModelsServiceTests.Host>
{
    private readonly InferenceService.InferenceServiceClient _client = host.Client;

    public sealed class Host() : InferenceHost(Configure())
    {
        public static string Folder { get; } = Directory.CreateTempSubdirectory("hybridai-registry-tests-").FullName;

        /// <summary>Tokens of the ChatML prompt for one user turn "hello".</summary>
        public static int PromptLength { get; private set; }

        /// <summary>The generator's script: after the ChatML prompt for "hello", "hello world!" then end of turn.</summary>
        private static Dictionary<string, string?> Configure()
        {
            var intent = HeadFiles.Write(HeadFiles.Softmax(), Folder);
            var needsLlm = HeadFiles.Write(HeadFiles.Sigmoid(), Folder);
            // The script is keyed by position, so measure the prompt "hello" renders to with the same tokenizer first.
            var probe = new TinyDecoder().WriteTo(Path.Combine(Folder, "probe"));
            using (var model = Core.Generation.GeneratorModel.Load("probe", probe, Generation.GeneratorFixture.Factory))
            {
                PromptLength = model.EncodeChat([new Core.Templates.ChatTurn("user", "hello")]).Length;
            }

            var script = new Dictionary<int, int> { [PromptLength - 1] = 259, [PromptLength] = 264, [PromptLength + 1] = 33, [PromptLength + 2] = TinyDecoder.ImEnd };
            var generator = new TinyDecoder(new TinyDecoderOptions { Script = script }).WriteTo(Path.Combine(Folder, "tiny"));
            return new Dictionary<string, string?>
            {
                ["Inference:Models:minilm-json:Kind"] = "Encoder",
                ["Inference:Models:minilm-json:Path"] = WordPieceJsonEncoder(),
                ["Inference:Models:intent:Kind"] = "Head",
                ["Inference:Models:intent:Path"] = intent,
                ["Inference:Models:needs-llm:Kind"] = "Head",
                ["Inference:Models:needs-llm:Path"] = needsLlm,
                ["Inference:Models:tiny-chat:Kind"] = "Generator",
                ["Inference:Models:tiny-chat:Path"] = generator,
            };
        }
    }


    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The shipped model again (linked, not copied) as an encoder folder with a WordPiece tokenizer.json instead of
    /// vocab.txt, and a 128-token window from sentence_bert_config.json.
    /// </summary>
    private static string WordPieceJsonEncoder()
    {
        var shipped = ShippedEncoder.Extract(EncoderFixture.CacheDirectory);
        var folder = Directory.CreateDirectory(Path.Combine(Host.Folder, "minilm-json")).FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "model.onnx"), Path.Combine(shipped, "model.onnx"));
        var vocab = new System.Text.Json.Nodes.JsonObject();
        var id = 0;
        foreach (var token in File.ReadLines(Path.Combine(shipped, "vocab.txt")))
        {
            vocab[token.TrimEnd('\r')] = id++;
        }

        var tokenizer = new System.Text.Json.Nodes.JsonObject
        {
            ["normalizer"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "BertNormalizer", ["lowercase"] = true, ["strip_accents"] = null, ["handle_chinese_chars"] = true },
            ["model"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = vocab },
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), tokenizer.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "sentence_bert_config.json"), """{"max_seq_length": 128, "do_lower_case": false}""");
        return folder;
    }

    [Fact]
    public async Task RegisteredEncodersWithATokenizerJsonEmbedLikeTheShippedOne()
    {
        const string text = "Can I top up with a Café card in €?";
        var shipped = await _client.EmbedAsync(new EmbedRequest { Texts = { text } }, cancellationToken: Ct);
        var registered = await _client.EmbedAsync(new EmbedRequest { Model = "minilm-json", Texts = { text } }, cancellationToken: Ct);
        Assert.Equal("minilm-json", registered.Model);
        Assert.Equal(shipped.Embeddings[0].TokenCount, registered.Embeddings[0].TokenCount);
        Assert.All(registered.Embeddings[0].Values.Zip(shipped.Embeddings[0].Values), p => Assert.Equal(p.Second, p.First, 5));

        var truncated = await _client.EmbedAsync(new EmbedRequest { Model = "minilm-json", Texts = { string.Join(' ', Enumerable.Repeat("card", 300)) } }, cancellationToken: Ct);
        Assert.Equal(128, truncated.Embeddings[0].TokenCount);
        Assert.True(truncated.Embeddings[0].Truncated);
    }

    [Fact]
    public async Task ClassifyAppliesEveryHeadToOneEncoderPass()
    {
        string[] texts = ["Where is my new card?", "Prove that the square root of 2 is irrational."];
        var response = await _client.ClassifyAsync(new ClassifyRequest { Heads = { "intent", "needs-llm" }, Texts = { texts }, IncludeEmbeddings = true }, cancellationToken: Ct);

        Assert.Equal(2, response.Results.Count);
        var embeddings = encoder.Encoder.Embed(texts);
        var intent = new ClassificationHead(HeadFiles.Softmax(), ShippedEncoder.Name, ShippedEncoder.ModelSha256, 384, "", "");
        for (var i = 0; i < texts.Length; i++)
        {
            var result = response.Results[i];
            Assert.Equal(["intent", "needs-llm"], result.Heads.Select(h => h.Head));
            var expected = intent.Predict(embeddings[i], texts[i]);
            Assert.Equal(expected.Label, result.Heads[0].Label);
            Assert.Equal(expected.Confidence, result.Heads[0].Confidence, 4);
            Assert.Equal(3, result.Heads[0].Scores.Count);
            Assert.Equal(["llm", "slm"], result.Heads[1].Scores.Select(s => s.Label).Order());
            Assert.Equal(384, result.Embedding.Values.Count);
            Assert.All(result.Embedding.Values.Zip(embeddings[i]), p => Assert.Equal(p.Second, p.First, 5));
        }
    }

    [Fact]
    public async Task ClassifyWithoutHeadsOrWithAnUnknownHeadNamesTheProblem()
    {
        var empty = await InferenceHost.FailsWith(StatusCode.InvalidArgument,
            () => _client.ClassifyAsync(new ClassifyRequest { Texts = { "hi" } }, cancellationToken: Ct).ResponseAsync);
        Assert.Contains("intent", empty.Status.Detail, StringComparison.Ordinal);

        var unknown = await InferenceHost.FailsWith(StatusCode.NotFound,
            () => _client.ClassifyAsync(new ClassifyRequest { Heads = { "intent", "sentiment" }, Texts = { "hi" } }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal("sentiment", unknown.GetRpcStatus()!.GetDetail<ResourceInfo>().ResourceName);
    }

    [Fact]
    public async Task ListModelsReportsEncoderHeadsAndGenerator()
    {
        var models = (await _client.ListModelsAsync(new ListModelsRequest(), cancellationToken: Ct)).Models.ToDictionary(m => m.Name);
        Assert.Equal(Contracts.Inference.V1.ModelKind.Head, models["intent"].Kind);
        Assert.Equal(ShippedEncoder.Name, models["intent"].Encoder);
        Assert.Equal(["card_arrival", "exchange_rate", "lost_or_stolen_card"], models["intent"].Labels);
        Assert.Equal(ModelFiles.Sha256(Path.Combine(Host.Folder, "intent.head.json")), models["intent"].Sha256);
        Assert.Equal(Contracts.Inference.V1.ModelKind.Generator, models["tiny-chat"].Kind);
        Assert.Equal(TinyDecoder.VocabularySize, models["tiny-chat"].VocabSize);
        Assert.Equal(64, models["tiny-chat"].MaxSequenceLength);
        Assert.Equal(128, models["minilm-json"].MaxSequenceLength);
        Assert.Equal(ShippedEncoder.ModelSha256, models["minilm-json"].Sha256);
        Assert.All(models.Values, m => Assert.Equal("CPUExecutionProvider", m.ExecutionProvider));
    }

    [Fact]
    public async Task GenerateStreamsTokensInOrderWithLogProbabilitiesThenDone()
    {
        using var call = _client.Generate(new GenerateRequest { Messages = { new ChatMessage { Role = "user", Content = "hello" } }, MaxTokens = 10 }, cancellationToken: Ct);
        var chunks = new List<GenerateChunk>();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(Ct))
        {
            chunks.Add(chunk);
        }

        var tokens = chunks.Where(c => c.PayloadCase == GenerateChunk.PayloadOneofCase.Token).Select(c => c.Token).ToList();
        Assert.Equal([259, 264, 33], tokens.Select(t => t.TokenId));
        Assert.Equal("hello world!", string.Concat(tokens.Select(t => t.Text)));
        Assert.All(tokens, t => Assert.InRange(t.Logprob, -0.01f, 0f));
        var done = chunks[^1].Done;
        Assert.Equal("eos", done.FinishReason);
        Assert.Equal("tiny-chat", done.Model);
        Assert.Equal(Host.PromptLength, done.Usage.PromptTokens);
        Assert.Equal(4, done.Usage.CompletionTokens);
        Assert.Equal(tokens.Average(t => t.Logprob), done.MeanLogprob, 5);
    }

    [Fact]
    public async Task GenerateHonoursStopSequencesAndMaxTokens()
    {
        var stopped = await Collect(new GenerateRequest { Messages = { new ChatMessage { Role = "user", Content = "hello" } }, Stop = { " wor" } });
        Assert.Equal("hello", stopped.Text);
        Assert.Equal("stop", stopped.Done.FinishReason);

        var cut = await Collect(new GenerateRequest { Messages = { new ChatMessage { Role = "user", Content = "hello" } }, MaxTokens = 1 });
        Assert.Equal("hello", cut.Text);
        Assert.Equal("length", cut.Done.FinishReason);
    }

    [Fact]
    public async Task GenerateRefusesBadRequestsNamingTheField()
    {
        var neither = await InferenceHost.FailsWith(StatusCode.InvalidArgument, () => Collect(new GenerateRequest()));
        Assert.Contains("prompt", neither.Status.Detail, StringComparison.Ordinal);

        var topP = await InferenceHost.FailsWith(StatusCode.InvalidArgument, () => Collect(new GenerateRequest { Prompt = "hi", TopP = 1.5f }));
        Assert.Equal("top_p", topP.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Single().Field);

        var unknown = await InferenceHost.FailsWith(StatusCode.NotFound, () => Collect(new GenerateRequest { Model = "llama", Prompt = "hi" }));
        Assert.Contains("tiny-chat", unknown.Status.Detail, StringComparison.Ordinal);

        var tooLong = await InferenceHost.FailsWith(StatusCode.InvalidArgument, () => Collect(new GenerateRequest { Prompt = new string('x', 100) }));
        Assert.Contains("context window", tooLong.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeededSamplingThroughTheServiceRepeats()
    {
        var request = new GenerateRequest { Prompt = "hello world", MaxTokens = 8, Temperature = 1.2f, Seed = 99 };
        var first = await Collect(request);
        var second = await Collect(request);
        Assert.Equal(first.Ids, second.Ids);
    }

    private async Task<(string Text, List<int> Ids, GenerateDone Done)> Collect(GenerateRequest request)
    {
        using var call = _client.Generate(request, cancellationToken: Ct);
        var ids = new List<int>();
        var text = "";
        GenerateDone? done = null;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(Ct))
        {
            if (chunk.PayloadCase == GenerateChunk.PayloadOneofCase.Token)
            {
                ids.Add(chunk.Token.TokenId);
                text += chunk.Token.Text;
            }
            else
            {
                done = chunk.Done;
            }
        }

        return (text, ids, done ?? throw new InvalidOperationException("The stream ended without done."));
    }
}
